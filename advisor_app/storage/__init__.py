"""Case files (one SQLite database per project holder) and the workspace catalog."""
