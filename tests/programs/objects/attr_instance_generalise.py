# run:
# run: 5
# Attributes, list items and dict values first holding one subclass, later another: their type generalises to the common base.


class Animal(object):
    def __init__(self, name):
        self.name = name

    def sound(self):
        return "..."


class Dog(Animal):
    def sound(self):
        return "woof"


class Cow(Animal):
    def sound(self):
        return "moo"


class Puppy(Dog):
    def sound(self):
        return "yip"


class Pen(object):
    def __init__(self):
        self.star = Dog("rex")
        self.animals = [Puppy("bit")]
        self.by_name = {"rex": self.star}

    def add(self, a):
        self.animals.append(a)
        self.by_name[a.name] = a

    def promote(self, a):
        self.star = a


def entry_point(argv):
    n = 3
    if len(argv) > 1:
        n = int(argv[1])
    pen = Pen()
    pen.add(Cow("daisy"))
    pen.add(Animal("blob"))
    for i in range(n):
        if i % 2 == 0:
            pen.add(Dog("d%d" % i))
        else:
            pen.add(Cow("c%d" % i))
    print(pen.star.name, pen.star.sound())
    pen.promote(pen.animals[1])
    print(pen.star.name, pen.star.sound())
    sounds = []
    for a in pen.animals:
        sounds.append(a.sound())
    print(" ".join(sounds))
    for k in ["rex", "daisy", "c1", "blob"]:
        if k in pen.by_name:
            a = pen.by_name[k]
            print(k, a.sound(), isinstance(a, Dog))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
