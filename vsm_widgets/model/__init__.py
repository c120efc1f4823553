"""The model: frozen values of a value stream (steps, handoffs, the stream, its graph, the event log, wastes)."""
