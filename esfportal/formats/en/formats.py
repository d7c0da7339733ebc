# "1 Oct 2017" rather than the American "10/01/2017" that Finnish readers of English misread.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
