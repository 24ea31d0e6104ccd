"""Spanish dates, short and unambiguous: "2 dic 2026", 24-hour clock (same order as English)."""

DATE_FORMAT = "j b Y"  # 2 dic 2026
DATETIME_FORMAT = "j b Y, H:i"  # 2 dic 2026, 09:30
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j \\d\\e F"
YEAR_MONTH_FORMAT = "F \\d\\e Y"
FIRST_DAY_OF_WEEK = 1
