# run:
# isinstance over a class hierarchy: every pair of (instance, class), negative results, narrowing to call subclass methods.


class Animal(object):
    def __init__(self, name):
        self.name = name


class Mammal(Animal):
    def fur(self):
        return "fur"


class Dog(Mammal):
    def bark(self):
        return "woof"


class Cat(Mammal):
    def meow(self):
        return "meow"


class Bird(Animal):
    def __init__(self, name, flies):
        Animal.__init__(self, name)
        self.flies = flies


def classify(a):
    bits = ""
    bits += "A" if isinstance(a, Animal) else "-"
    bits += "M" if isinstance(a, Mammal) else "-"
    bits += "D" if isinstance(a, Dog) else "-"
    bits += "C" if isinstance(a, Cat) else "-"
    bits += "B" if isinstance(a, Bird) else "-"
    return bits


def speak(a):
    if isinstance(a, Dog):
        return a.bark()
    elif isinstance(a, Cat):
        return a.meow()
    elif isinstance(a, Mammal):
        return a.fur()
    elif isinstance(a, Bird):
        if a.flies:
            return "tweet"
        return "squawk"
    return "..."


def entry_point(argv):
    zoo = [Dog("rex"), Cat("tom"), Mammal("generic"), Bird("tweety", True), Bird("pingu", False), Animal("blob")]
    for a in zoo:
        print(a.name, classify(a), speak(a))
    n = 0
    for a in zoo:
        if not isinstance(a, Mammal):
            n += 1
    print("non-mammals", n)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
