"""Readouts: batch runs of the notebooks, their pages and index, the workshop sections and the lesson."""
