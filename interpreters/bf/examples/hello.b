Prints Hello followed by World and a newline

Four cells are set by one multiplication loop: 72 (H) and 96 and 32 (space) and 8
++++++++[>+++++++++>++++++++++++>++++>+<<<<-]
>.                      H
>+++++.                 e
+++++++..               l l
+++.                    o
>++++++++++++.          comma
------------.           space
<<+++++++++++++++.      W
>.                      o
+++.                    r
------.                 l
--------.               d
>+.                     exclamation mark
>++.                    newline
