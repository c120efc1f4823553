"""Files in and out: timing exports and their mapping, map and scenario files, Mermaid and Markdown."""
