Copies standard input to standard output

At end of input a read leaves the cell unchanged; so clear the cell before each read
and the loop stops on the zero cell
,[.[-],]
