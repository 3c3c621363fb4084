"""After the site is written: the theme's scripts removed (no page loads them: overrides/main.html; one of
them names a third-party host), and the calculator bundle (build_scripts.bundle) into site/calculator/."""
import shutil
from pathlib import Path

from build_scripts import bundle
from build_scripts.site_build import BUILD, timed

THEME_SCRIPTS = Path("assets") / "javascripts"


def on_post_build(config):
    shutil.rmtree(Path(config["site_dir"]) / THEME_SCRIPTS, ignore_errors=True)
    timed("wrote the calculator bundle", bundle.write_bundle, config["site_dir"], BUILD.policies)
