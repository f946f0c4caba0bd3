"""Lua values: the W_Object hierarchy, tables (array part + hash part), errors.

Every Lua value is an instance of a W_Object subclass. nil and the booleans are prebuilt
singletons. Tables keep an array part for the keys 1..n and a hash part whose slots
remember insertion order (so ``next`` can continue from any key in O(1)); the hash part
is indexed by one dict per key kind (str, int, float, and identity keys by ``uid``).
"""

from kiln.jit import promote
from kiln.objectmodel import always_inline
from kiln.rarith import intmask


class LuaError(Exception):
    """A Lua error in flight: ``w_value`` is the error object (any Lua value)."""

    def __init__(self, w_value):
        self.w_value = w_value
        self.traceback = ""


class Interner(object):
    """Strings used as table keys, numbered: the hash part indexes string keys by their
    number, so a lookup with a constant key (whose W_Str caches its number) hashes an
    int, not the string. The table only grows (as the set of distinct key strings)."""

    def __init__(self):
        self.ids = {}


interner = Interner()


def atom(s):
    ids = interner.ids
    a = ids.get(s, -1)
    if a < 0:
        a = len(ids)
        ids[s] = a
    return a


A_INDEX = atom("__index")
A_NEWINDEX = atom("__newindex")
A_EQ = atom("__eq")
A_LT = atom("__lt")
A_LE = atom("__le")
A_LEN = atom("__len")
A_CALL = atom("__call")
A_CONCAT = atom("__concat")
A_UNM = atom("__unm")
A_BNOT = atom("__bnot")
A_TOSTRING = atom("__tostring")
A_NAME = atom("__name")
A_PAIRS = atom("__pairs")


def atom_bit(a):
    """The bit of the atom a in a table's Bloom filter of string keys (W_Table.amask)."""
    b = a & 63
    if b == 63:
        return -MAXINT - 1  # kiln: 1 << 63 overflows at import time, even as r_uint
    return 1 << b


MAXINT = 9223372036854775807


class Counter(object):
    """Mutable global state: the next identity id for tables and functions."""

    def __init__(self):
        self.next_uid = 16


counter = Counter()


def new_uid():
    counter.next_uid += 1
    return counter.next_uid


class W_Object(object):
    # The identity ``uid`` (for tables, functions and booleans used as keys) is set
    # by the constructors of those classes.

    def typename(self):
        raise NotImplementedError("typename")

    def is_true(self):
        return True

    def get_metatable(self):
        return None


class W_Nil(W_Object):
    def typename(self):
        return "nil"

    def is_true(self):
        return False


class W_Bool(W_Object):
    def __init__(self, value, uid):
        self.value = value
        self.uid = uid

    def typename(self):
        return "boolean"

    def is_true(self):
        return self.value


w_nil = W_Nil()
w_true = W_Bool(True, 1)
w_false = W_Bool(False, 2)


def newbool(b):
    if b:
        return w_true
    return w_false


class W_Int(W_Object):
    _immutable_fields_ = ["value"]

    def __init__(self, value):
        self.value = value

    def typename(self):
        return "number"


class W_Float(W_Object):
    _immutable_fields_ = ["value"]

    def __init__(self, value):
        self.value = value

    def typename(self):
        return "number"


class W_Str(W_Object):
    _immutable_fields_ = ["value"]

    def __init__(self, value):
        self.value = value
        self.atom = -1

    @always_inline
    def get_atom(self):
        """The string's interned id (computed once per W_Str)."""
        a = self.atom
        if a < 0:
            a = self.intern()
        return a

    def intern(self):
        a = atom(self.value)
        self.atom = a
        return a

    def typename(self):
        return "string"


class W_Cell(W_Object):
    """A captured local variable (an upvalue): closures share the cell."""

    def __init__(self, w_value):
        self.w_value = w_value

    def typename(self):
        return "cell"


class W_Function(W_Object):
    def typename(self):
        return "function"

    def call(self, args):
        """Call the function with the list of arguments; return the list of results."""
        raise NotImplementedError("call")


class MethodEpoch(object):
    """A counter bumped by every change to a watched table (a table that a cached
    method lookup went through: a metatable or an `__index` table): its hash part or
    its metatable. SELF's method cache (interp.py) is valid while the counter has not
    moved since the cache was filled."""

    def __init__(self):
        self.n = 0


method_epoch = MethodEpoch()


# A hash part of at most this many slots finds string keys by a linear scan.
SMALL_HASH = 8

# Kinds of keys in a table's hash part.
K_STR = 0
K_INT = 1
K_FLOAT = 2
K_OBJ = 3

# Fields that metamethod lookups look for.


class W_Table(W_Object):
    def __init__(self):
        self.arr = []
        self.hkeys = []  # the hash part's keys, in insertion order (slots)
        self.hvals = []  # the values of those slots (w_nil once removed)
        self.hatoms = []  # per slot: the atom of a string key, -1 for other keys
        # A Bloom filter of the string keys of the hash part: bit (atom & 63) is set for
        # every string key added since the last compaction, so a clear bit proves that
        # a key is absent without a dict lookup (methods looked up on instances,
        # metamethods looked up in classes).
        self.amask = 0
        # atom of a str key -> slot; built only when the hash part grows past
        # SMALL_HASH slots (find_atom scans hatoms below that)
        self.strmap = None
        self.intmap = None  # int -> slot
        self.fltmap = None  # float -> slot
        self.objmap = None  # uid -> slot
        self.nfree = 0  # slots whose value is nil
        self.metatable = None
        self.uid = new_uid()
        # This table's "__index" field, cached for its use as a metatable; every
        # write to the hash part invalidates it.
        self.index_mm = None
        self.index_mm_valid = False
        # whether a method cache depends on this table (see MethodEpoch)
        self.watched = False

    def typename(self):
        return "table"

    @always_inline
    def hash_written(self):
        """Every change to the hash part calls this first."""
        self.index_mm_valid = False
        if self.watched:
            method_epoch.n += 1

    def set_metatable(self, w_mt):
        if self.watched:
            method_epoch.n += 1
        self.metatable = w_mt

    def get_metatable(self):
        return self.metatable

    # ---- reading

    def getstr(self, key):
        return self.getatom(atom(key))

    @always_inline
    def get_index_mm(self):
        """self.__index (nil if absent), for a table used as a metatable."""
        if not self.index_mm_valid:
            return self.find_index_mm()
        w = self.index_mm
        assert w is not None
        return w

    def find_index_mm(self):
        w = self.getatom(A_INDEX)
        self.index_mm = w
        self.index_mm_valid = True
        return w

    # The inline-cache hits (getatom_ic, setatom_ic) are inlined in the dispatch loop
    # (no call, no shadow-stack frame); the misses are calls.

    @always_inline
    def getatom_ic(self, a, cache, idx):
        """getatom with an inline cache: cache[idx] remembers the slot where the key was
        found last time (tables built by the same code have the same slot layout); the
        slot's key is checked, so a stale entry only costs the normal lookup."""
        slot = cache[idx]
        atoms = self.hatoms
        if 0 <= slot < len(atoms) and atoms[slot] == a:
            return self.hvals[slot]
        return self.getatom_miss(a, cache, idx)

    def getatom_miss(self, a, cache, idx):
        slot = self.find_atom(a)
        if slot < 0:
            return w_nil
        cache[idx] = slot
        return self.hvals[slot]

    @always_inline
    def setatom_ic(self, w_key, a, w_value, cache, idx):
        """Store w_value under the string key (a: its atom), unless the key is absent
        (or nil) and the metatable has a __newindex: then return False, and the caller
        goes through __newindex. cache[idx] remembers the slot, as in getatom_ic."""
        slot = cache[idx]
        atoms = self.hatoms
        if 0 <= slot < len(atoms) and atoms[slot] == a:
            vals = self.hvals
            # a live field overwritten by a non-nil value: nfree does not change
            if not isinstance(vals[slot], W_Nil) and not isinstance(w_value, W_Nil):
                self.hash_written()
                vals[slot] = w_value
                return True
        return self.setatom_miss(w_key, w_value, cache, idx)

    def setatom_miss(self, w_key, w_value, cache, idx):
        a = w_key.get_atom()
        slot = cache[idx]
        atoms = self.hatoms
        if 0 <= slot < len(atoms) and atoms[slot] == a and \
                not isinstance(self.hvals[slot], W_Nil):
            self._set_slot(slot, w_value)
            return True
        slot = self.find_atom(a)
        if slot >= 0 and not isinstance(self.hvals[slot], W_Nil):
            cache[idx] = slot
            self._set_slot(slot, w_value)
            return True
        w_mt = self.metatable
        if w_mt is not None and not isinstance(w_mt.getatom(A_NEWINDEX), W_Nil):
            return False
        # the key is absent (or its slot dead), and there is no __newindex to call
        # (objects get their fields this way, after setmetatable): a raw store
        if slot >= 0:
            cache[idx] = slot
            self._set_slot(slot, w_value)
        elif not isinstance(w_value, W_Nil):
            self._new_slot(w_key, w_value)
            cache[idx] = len(self.hkeys) - 1
        return True

    def may_have(self, a):
        """False if the string key with atom a is certainly not in the hash part."""
        return (self.amask >> (a & 63)) & 1 != 0

    def find_atom(self, a):
        """The slot of the string key with atom a (-1 if absent): a scan of hatoms
        for a small hash part (the fields of an object), else the strmap dict."""
        if not self.may_have(a):
            return -1
        atoms = self.hatoms
        n = len(atoms)
        if n <= SMALL_HASH:
            for i in range(n):
                if atoms[i] == a:
                    return i
            return -1
        m = self.strmap
        if m is None:
            m = self._build_strmap()
        return m.get(a, -1)

    def _build_strmap(self):
        atoms = self.hatoms
        m = {}
        for i in range(len(atoms)):
            if atoms[i] >= 0:
                m[atoms[i]] = i
        self.strmap = m
        return m

    def getatom(self, a):
        slot = self.find_atom(a)
        if slot < 0:
            return w_nil
        return self.hvals[slot]

    @always_inline
    def getint(self, key):
        arr = self.arr
        if 1 <= key <= len(arr):
            return arr[key - 1]
        return self.getint_hash(key)

    def getint_hash(self, key):
        m = self.intmap
        if m is None:
            return w_nil
        slot = m.get(key, -1)
        if slot < 0:
            return w_nil
        return self.hvals[slot]

    def get(self, w_key):
        if isinstance(w_key, W_Str):
            return self.getatom(w_key.get_atom())
        if isinstance(w_key, W_Int):
            return self.getint(w_key.value)
        if isinstance(w_key, W_Float):
            f = w_key.value
            if float_is_int(f):
                return self.getint(int(f))
            m = self.fltmap
            if m is None:
                return w_nil
            slot = m.get(f, -1)
            if slot < 0:
                return w_nil
            return self.hvals[slot]
        if isinstance(w_key, W_Nil):
            return w_nil
        m2 = self.objmap
        if m2 is None:
            return w_nil
        slot = m2.get(w_key.uid, -1)
        if slot < 0:
            return w_nil
        return self.hvals[slot]

    # ---- writing (callers check the key is not nil or NaN)

    def _find_slot(self, w_key):
        if isinstance(w_key, W_Str):
            return self.find_atom(w_key.get_atom())
        if isinstance(w_key, W_Int):
            m1 = self.intmap
            if m1 is None:
                return -1
            return m1.get(w_key.value, -1)
        if isinstance(w_key, W_Float):
            m2 = self.fltmap
            if m2 is None:
                return -1
            return m2.get(w_key.value, -1)
        m3 = self.objmap
        if m3 is None:
            return -1
        return m3.get(w_key.uid, -1)

    def _new_slot(self, w_key, w_value):
        if self.nfree > 8 and self.nfree * 2 > len(self.hkeys):
            self._compact()
        self.hash_written()
        slot = len(self.hkeys)
        self.hkeys.append(w_key)
        self.hvals.append(w_value)
        if isinstance(w_key, W_Str):
            a = w_key.get_atom()
            atoms = self.hatoms
            atoms.append(a)
            self.amask |= atom_bit(a)
            m = self.strmap
            if m is not None:
                m[a] = slot
            # else find_atom builds it when the hash part outgrows SMALL_HASH
            return
        self.hatoms.append(-1)
        if isinstance(w_key, W_Int):
            m1 = self.intmap
            if m1 is None:
                m1 = {}
                self.intmap = m1
            m1[w_key.value] = slot
        elif isinstance(w_key, W_Float):
            m2 = self.fltmap
            if m2 is None:
                m2 = {}
                self.fltmap = m2
            m2[w_key.value] = slot
        else:
            m3 = self.objmap
            if m3 is None:
                m3 = {}
                self.objmap = m3
            m3[w_key.uid] = slot

    def _compact(self):
        keys = self.hkeys
        vals = self.hvals
        self.hkeys = []
        self.hvals = []
        self.hatoms = []
        self.amask = 0
        self.strmap = None
        self.intmap = None
        self.fltmap = None
        self.objmap = None
        self.nfree = 0
        for i in range(len(keys)):
            w_v = vals[i]
            if not isinstance(w_v, W_Nil):
                self._new_slot(keys[i], w_v)

    def setstr(self, key, w_value):
        self.setstrw(W_Str(key), w_value)

    def setstrw(self, w_key, w_value):
        slot = self.find_atom(w_key.get_atom())
        if slot >= 0:
            self._set_slot(slot, w_value)
            return
        if isinstance(w_value, W_Nil):
            return
        self._new_slot(w_key, w_value)

    def _set_slot(self, slot, w_value):
        self.hash_written()
        w_old = self.hvals[slot]
        if isinstance(w_value, W_Nil):
            if not isinstance(w_old, W_Nil):
                self.nfree += 1
        elif isinstance(w_old, W_Nil):
            self.nfree -= 1
        self.hvals[slot] = w_value

    @always_inline
    def setint(self, key, w_value):
        arr = self.arr
        if 1 <= key <= len(arr) and not isinstance(w_value, W_Nil):
            arr[key - 1] = w_value  # not nil: no trailing nil to remove
        else:
            self.setint_slow(key, w_value)

    def setint_slow(self, key, w_value):
        arr = self.arr
        n = len(arr)
        if 1 <= key <= n:
            arr[key - 1] = w_value
            if key == n and isinstance(w_value, W_Nil):
                # keep the array part free of trailing nils
                while len(arr) > 0 and isinstance(arr[len(arr) - 1], W_Nil):
                    arr.pop()
            return
        if key == n + 1 and not isinstance(w_value, W_Nil):
            m = self.intmap
            if m is not None:
                slot = m.get(key, -1)
                if slot >= 0:
                    self._set_slot(slot, w_nil)
            arr.append(w_value)
            if m is not None:
                self._migrate()
            return
        self.sethash(W_Int(key), w_value)

    def _migrate(self):
        """Move keys n+1, n+2, ... from the hash part to the array part."""
        m = self.intmap
        if m is None:
            return
        while True:
            k = len(self.arr) + 1
            slot = m.get(k, -1)
            if slot < 0:
                return
            w_v = self.hvals[slot]
            if isinstance(w_v, W_Nil):
                return
            self._set_slot(slot, w_nil)
            self.arr.append(w_v)

    def sethash(self, w_key, w_value):
        slot = self._find_slot(w_key)
        if slot >= 0:
            self._set_slot(slot, w_value)
            return
        if isinstance(w_value, W_Nil):
            return
        self._new_slot(w_key, w_value)

    def set(self, w_key, w_value):
        if isinstance(w_key, W_Str):
            self.setstrw(w_key, w_value)
        elif isinstance(w_key, W_Int):
            self.setint(w_key.value, w_value)
        elif isinstance(w_key, W_Float):
            f = w_key.value
            if float_is_int(f):
                self.setint(int(f), w_value)
            else:
                self.sethash(w_key, w_value)
        else:
            self.sethash(w_key, w_value)

    # ---- length and traversal

    def length(self):
        arr = self.arr
        n = len(arr)
        if n > 0 and isinstance(arr[n - 1], W_Nil):
            lo = 0
            hi = n
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if isinstance(arr[mid - 1], W_Nil):
                    hi = mid
                else:
                    lo = mid
            return lo
        if self.intmap is None:
            return n
        j = n
        while not isinstance(self.getint(j + 1), W_Nil):
            j += 1
        return j

    def next_index(self, w_key):
        """The position after ``w_key`` in traversal order: 0..len(arr)-1 are the
        array part, then the hash slots. Returns -1 if the key is not in the table."""
        if isinstance(w_key, W_Nil):
            return 0
        n = len(self.arr)
        if isinstance(w_key, W_Int):
            k = w_key.value
            if 1 <= k <= n:
                return k
        elif isinstance(w_key, W_Float):
            f = w_key.value
            if float_is_int(f):
                k = int(f)
                if 1 <= k <= n:
                    return k
                w_key = W_Int(k)
        slot = self._find_slot(w_key)
        if slot < 0:
            return -1
        return n + slot + 1

    def entry_at(self, i):
        """Starting at position i, the first position holding a non-nil value, or -1."""
        n = len(self.arr)
        while i < n:
            if not isinstance(self.arr[i], W_Nil):
                return i
            i += 1
        nh = len(self.hkeys)
        while i - n < nh:
            if not isinstance(self.hvals[i - n], W_Nil):
                return i
            i += 1
        return -1

    def key_at(self, i):
        n = len(self.arr)
        if i < n:
            return W_Int(i + 1)
        return self.hkeys[i - n]

    def value_at(self, i):
        n = len(self.arr)
        if i < n:
            return self.arr[i]
        return self.hvals[i - n]


def float_is_int(f):
    """True if the float has an exact integer value that fits an int64."""
    if f != f:
        return False
    if f < -9.2233720368547758e18 or f >= 9.2233720368547758e18:
        return False
    return float(int(f)) == f


def lookup_metamethod(w_mt, a):
    """The field with atom ``a`` (an event name such as ``A_EQ``) of the metatable
    ``w_mt`` (nil if absent).

    Not @elidable: metatables are mutable tables, so the result may change (an
    elidable lookup would need a version tag on the metatable, as PyPy's type
    version tags)."""
    return w_mt.getatom(a)


def get_metamethod(w_obj, a):
    w_mt = w_obj.get_metatable()
    if w_mt is None:
        return w_nil
    w_mt = promote(w_mt)
    return lookup_metamethod(w_mt, a)


def int_to_w(i):
    return W_Int(intmask(i))
