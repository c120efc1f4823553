"""Future states: scenarios and their changes, applied to maps and replayed on logs; forecasts, compare, review."""
