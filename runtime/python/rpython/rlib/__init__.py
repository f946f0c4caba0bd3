"""``rpython.rlib``: the RPython library modules Kiln provides (see ``rpython``)."""
