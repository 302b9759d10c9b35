"""The admin command line on main.py: one module per group, each with `register(subparsers)`."""
