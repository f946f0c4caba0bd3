# run:
# Methods returning self for chained calls; a builder object producing an immutable result object.


class Query(object):
    _immutable_fields_ = ["table", "fields[*]", "limit"]

    def __init__(self, table, fields, conds, limit):
        self.table = table
        self.fields = fields
        self.conds = conds
        self.limit = limit

    def render(self):
        s = "SELECT " + ", ".join(self.fields) + " FROM " + self.table
        if len(self.conds) > 0:
            s += " WHERE " + " AND ".join(self.conds)
        if self.limit >= 0:
            s += " LIMIT %d" % self.limit
        return s


class QueryBuilder(object):
    def __init__(self, table):
        self.table = table
        self.fields = []
        self.conds = []
        self.limit_n = -1

    def select(self, field):
        self.fields.append(field)
        return self

    def where(self, cond):
        self.conds.append(cond)
        return self

    def limit(self, n):
        self.limit_n = n
        return self

    def build(self):
        fields = self.fields
        if len(fields) == 0:
            fields = ["*"]
        return Query(self.table, fields, self.conds, self.limit_n)


def entry_point(argv):
    q1 = QueryBuilder("users").select("id").select("name").where("age > 3").limit(10).build()
    q2 = QueryBuilder("logs").build()
    b = QueryBuilder("items")
    for i in range(3):
        b.where("x%d = %d" % (i, i * i))
    q3 = b.select("x0").build()
    for q in [q1, q2, q3]:
        print(q.render())
    same = b.limit(1) is b
    print(same, b.limit_n)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
