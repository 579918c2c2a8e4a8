"""File formats that move a plan's record in and out: arrivals and submissions CSV."""
