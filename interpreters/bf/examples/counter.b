Prints the digits 0 to 9 on lines of their own

Cell 0 counts down from 10; cell 2 holds the digit; cell 3 holds a newline
++++++++++
>++++++[>++++++++<-]    cell 2 is 6 times 8 = 48 (the digit 0)
>>++++++++++            cell 3 is 10 (newline)
<<<
[>>.+>.<<<-]            print the digit and a newline then step the digit up
