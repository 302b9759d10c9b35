"""The red/black lists: evaluations, computed rankings, frozen published lists and the points
they post."""
