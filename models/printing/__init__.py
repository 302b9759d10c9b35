"""The print centre's data: scopes and the plain document dataclasses the paper layer renders."""
