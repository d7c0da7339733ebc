# "1 Oct 2017" rather than the American "10/01/2017" that Finnish readers of English misread.
SHORT_DATE_FORMAT = "j M Y"
