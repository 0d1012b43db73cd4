"""The top of the house: ``wiring`` builds the runtime from settings (the one place that does),
and ``cli`` is the ``cdcs`` command. Nothing below imports this package."""
