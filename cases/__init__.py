"""Report: grievances and protection cases (plan part II.4), from the reporter to provincial staff."""
