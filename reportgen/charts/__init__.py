"""Where a chart's bars, lines and labels go (in millimetres), for every writer to draw."""
