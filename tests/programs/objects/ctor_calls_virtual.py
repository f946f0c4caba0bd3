# run:
# __init__ calls virtual methods overridden in subclasses; super().__init__ with keyword arguments and defaults.


class Widget(object):
    def __init__(self, name, width=10, height=2):
        self.name = name
        self.width = width
        self.height = height
        self.area = self.compute_area()
        self.label = self.make_label()

    def compute_area(self):
        return self.width * self.height

    def make_label(self):
        return "widget:" + self.name


class Button(Widget):
    def __init__(self, name, text):
        self.text = text
        super().__init__(name, height=1, width=len(text) + 4)

    def make_label(self):
        return "[" + self.text + "]"


class Panel(Widget):
    def __init__(self, name, border=1):
        self.border = border
        super().__init__(name=name)

    def compute_area(self):
        inner = Widget.compute_area(self)
        return inner + 2 * self.border * (self.width + self.height) + 4 * self.border * self.border


def entry_point(argv):
    ws = [Widget("plain"), Widget("tall", height=9), Button("ok", "OK"), Button("cancel", "Cancel"),
          Panel("main"), Panel("thick", border=3), Panel("thin", 0)]
    for w in ws:
        print(w.name, w.width, w.height, w.area, w.label)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
