"""医保明白纸: the fee core (`calculator.core`, stdlib only) and its CPython tooling (policy files, cases, CLI)."""
