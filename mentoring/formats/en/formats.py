"""English dates as the rest of Europe reads them: day before month, 24-hour clock.

Django's English is American (12/01/2026 for 1 December, "9 a.m."); our English readers are
colleagues in a European company, and a Spanish and an English reader must see the same date.
"""

DATE_FORMAT = "j M Y"  # 2 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"  # 2 Dec 2026, 09:30
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"  # 02/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
