Cells are 8 bits wide and wrap around in both directions

Part one: 0 minus 1 wraps to 255; 255 plus 66 wraps to 65 (A)
-
>++++++[<+++++++++++>-]<
.
Part two: 16 times 16 increments wrap to 0; so the guarded loop body never runs
[-]>[-]++++++++++++++++[<++++++++++++++++>-]<
[>++++++++[<++++++++>-]<+++++.[-]]     prints a character if the cell held 256
Part three: a newline
[-]++++++++++.
