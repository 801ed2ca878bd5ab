"""At-risk nudges (R8): the sweep finds goals behind pace and nudges their managers."""
