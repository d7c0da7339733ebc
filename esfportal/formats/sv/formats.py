# Finland-Swedish writes dates as in Finnish (1.10.2017), not Sweden's 2017-10-01.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j.n.Y"
