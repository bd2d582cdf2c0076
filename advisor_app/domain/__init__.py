"""Plain data and rules of the advisor's world. Imports nothing of ours."""
