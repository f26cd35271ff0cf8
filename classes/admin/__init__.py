"""The data-entry screens (Django admin), one module per screen group; importing them registers them."""

from classes.admin import (  # noqa: F401
    commendations,
    cycle,
    locks,
    planning,
    reference,
    standards,
    training,
    users,
)
