Reads one character and prints it; reads again at end of input (which leaves the cell
unchanged) and prints the same character a second time; then prints a newline
++++++++[>++++++++<-]>+     cell 1 starts as 65 (A)
,.,.
>++++++++++.
