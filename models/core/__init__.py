"""What every area uses and that uses no area: the database and its migrations, the base
Service and its operation, access, audit, settings, errors, validation, names, the clock and the
registry of `check` invariants."""
