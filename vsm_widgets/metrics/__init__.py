"""Pure numbers over the model: visits, flow, WIP, throughput, Little's law, XmR, distributions, the measured map."""
