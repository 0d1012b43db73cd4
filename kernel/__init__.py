"""The kernel, at the bottom of the house: settings, logging, errors and the calendar (time zone,
working days, how dates are written). It imports nothing of the project; everything may import it."""
