"""Numbers as notices write them: 90, 三, 十二, 一百二十, 二〇二五."""
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
# A regular-expression piece matching one number, Arabic or Chinese.
NUMBER = "[0-9]+|[%s%s]+" % ("".join(DIGITS), "".join(UNITS))


def number(run):
    """The value of a run of Arabic digits or Chinese numerals; None when it is not one number."""
    if run.isdigit():
        return int(run)
    if any(char not in DIGITS and char not in UNITS for char in run):
        return None
    if not any(char in UNITS for char in run):
        return int("".join(str(DIGITS[char]) for char in run))
    total = digit = 0
    for char in run:
        if char in DIGITS:
            digit = DIGITS[char]
        else:
            total += (digit or 1) * UNITS[char]
            digit = 0
    return total + digit
