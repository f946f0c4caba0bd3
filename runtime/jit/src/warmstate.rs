//! The JIT's warm-up state (RPython's `warmstate.py` and `counter.py`): the run-time
//! parameters (`KILN_JIT=threshold=N,function_threshold=N,trace_eagerness=N,
//! trace_limit=N,decay=N,off`), hotness counters per green key with decay, and a state
//! per green key: counting, being traced, compiled, or given up on.
//!
//! **Counters.** As in RPython, counters live in a fixed table of floats indexed by the
//! key's hash (collisions only make two keys warm up together); a tick adds
//! `1/threshold` and fires at 1.0. Every [`DECAY_PERIOD`] ticks all counters are
//! multiplied by `1 - decay/1000`, so code that is only warm now and then never trips
//! the threshold.
//!
//! **Green keys** are tuples of ints, strings (by content) and instances (by identity).
//! An instance's hash is the runtime's identity hash (stable under moving collectors,
//! `kiln_gc_identity_hash`), and its equality is its current address: the table of
//! cells is a GC root source ([`WarmState::for_each_ref_slot`]), so a moving collector
//! updates the addresses while the hashes stay.
//!
//! **Key states.** A key counts until hot, then is traced; a trace that closes becomes
//! the key's compiled loop, which later visits enter. A trace that aborts (too long, or
//! something the tracer cannot follow) puts the key back to counting; after
//! [`MAX_ABORTS`] aborts the key is never traced again.

use std::collections::HashMap;

/// The run-time parameters, RPython's names and defaults (`rlib/jit.py` PARAMETERS).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JitParams {
    /// `off` turns the JIT off: the interpreter runs alone.
    pub enabled: bool,
    /// Back jumps (`can_enter_jit`) of one green key before it is traced.
    pub threshold: u32,
    /// Entries of a function (a portal call) before it is traced from its start.
    pub function_threshold: u32,
    /// Failures of a guard before a bridge is traced from it.
    pub trace_eagerness: u32,
    /// Recorded ops after which a trace is aborted.
    pub trace_limit: u32,
    /// How much counters decay each period, in thousandths (0: never, 1000: to zero).
    pub decay: u32,
}

impl Default for JitParams {
    fn default() -> JitParams {
        JitParams { enabled: true, threshold: 1039, function_threshold: 1619, trace_eagerness: 200, trace_limit: 6000, decay: 40 }
    }
}

/// The environment variable that sets the parameters.
pub const ENV_JIT: &str = "KILN_JIT";

const PARAM_NAMES: &str = "threshold, function_threshold, trace_eagerness, trace_limit, decay, off";

impl JitParams {
    /// Parses a `KILN_JIT` value: comma-separated `name=value` items and `off`. Returns
    /// the parameters and one message per bad item; a bad item is ignored (its
    /// parameter keeps its default), so a typo never stops the program.
    pub fn parse(text: &str) -> (JitParams, Vec<String>) {
        let mut p = JitParams::default();
        let mut errors = Vec::new();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = match item.split_once('=') {
                Some((n, v)) => (n.trim(), Some(v.trim())),
                None => (item, None),
            };
            let (min, max) = match name {
                "decay" => (0, 1000),
                _ => (1, u32::MAX as u64),
            };
            let slot = match name {
                "off" | "on" => {
                    if value.is_some() {
                        errors.push(format!("`{name}` takes no value"));
                    } else {
                        p.enabled = name == "on";
                    }
                    continue;
                }
                "threshold" => &mut p.threshold,
                "function_threshold" => &mut p.function_threshold,
                "trace_eagerness" => &mut p.trace_eagerness,
                "trace_limit" => &mut p.trace_limit,
                "decay" => &mut p.decay,
                _ => {
                    errors.push(format!("unknown parameter `{name}` (known: {PARAM_NAMES})"));
                    continue;
                }
            };
            match value.map(|v| v.parse::<u64>()) {
                Some(Ok(n)) if (min..=max).contains(&n) => *slot = n as u32,
                Some(_) => errors.push(format!("`{name}` needs a whole number from {min} to {max}, not `{}`", value.unwrap_or(""))),
                None => errors.push(format!("`{name}` needs a value: `{name}=N`")),
            }
        }
        (p, errors)
    }

    /// The parameters from `KILN_JIT` (the defaults when unset); each bad item is
    /// reported on stderr as `kiln: KILN_JIT: …` and ignored.
    pub fn from_env() -> JitParams {
        match std::env::var(ENV_JIT) {
            Ok(text) => {
                let (p, errors) = JitParams::parse(&text);
                for e in errors {
                    eprintln!("kiln: {ENV_JIT}: {e}");
                }
                p
            }
            Err(std::env::VarError::NotPresent) => JitParams::default(),
            Err(std::env::VarError::NotUnicode(_)) => {
                eprintln!("kiln: {ENV_JIT}: not valid UTF-8; using the defaults");
                JitParams::default()
            }
        }
    }
}

/// One part of a green key.
#[derive(Clone, Debug)]
pub enum Green {
    Int(i64),
    /// A string, by content.
    Str(Box<[u8]>),
    /// An instance: its current address (updated by the collector) and its identity
    /// hash (stable).
    Instance { addr: u64, hash: i64 },
}

impl PartialEq for Green {
    fn eq(&self, other: &Green) -> bool {
        match (self, other) {
            (Green::Int(a), Green::Int(b)) => a == b,
            (Green::Str(a), Green::Str(b)) => a == b,
            (Green::Instance { addr: a, .. }, Green::Instance { addr: b, .. }) => a == b,
            _ => false,
        }
    }
}

/// The values of a driver's greens at one merge point.
#[derive(Clone, Debug, PartialEq)]
pub struct GreenKey(pub Vec<Green>);

impl GreenKey {
    /// A hash that does not depend on where instances are (FNV-1a over the parts).
    pub fn hash(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut mix = |bytes: &[u8]| {
            for &b in bytes {
                h ^= b as u64;
                h = h.wrapping_mul(0x100_0000_01b3);
            }
        };
        for g in &self.0 {
            match g {
                Green::Int(i) => {
                    mix(&[0]);
                    mix(&i.to_le_bytes());
                }
                Green::Str(s) => {
                    mix(&[1]);
                    mix(&(s.len() as u64).to_le_bytes());
                    mix(s);
                }
                Green::Instance { hash, .. } => {
                    mix(&[2]);
                    mix(&hash.to_le_bytes());
                }
            }
        }
        h
    }
}

/// Ticks between two decays of every counter.
pub const DECAY_PERIOD: u64 = 1 << 16;
/// Aborted traces of one key after which it is never traced again.
pub const MAX_ABORTS: u32 = 3;
const COUNTER_BITS: u32 = 12;

/// Hotness counters, one float per slot of a table indexed by hash.
pub struct JitCounter {
    slots: Box<[f32]>,
    ticks: u64,
    decay_factor: f32,
}

impl JitCounter {
    pub fn new(decay: u32) -> JitCounter {
        JitCounter { slots: vec![0.0; 1 << COUNTER_BITS].into_boxed_slice(), ticks: 0, decay_factor: 1.0 - decay.min(1000) as f32 / 1000.0 }
    }

    fn index(hash: u64) -> usize {
        // The high bits: FNV's low bits are the weakest.
        (hash >> (64 - COUNTER_BITS)) as usize
    }

    /// Adds `increment` to the counter of `hash`; true (and the counter reset) when it
    /// reaches 1.
    pub fn tick(&mut self, hash: u64, increment: f32) -> bool {
        self.ticks += 1;
        if self.ticks % DECAY_PERIOD == 0 {
            self.decay_all();
        }
        let c = &mut self.slots[Self::index(hash)];
        *c += increment;
        if *c >= 1.0 {
            *c = 0.0;
            true
        } else {
            false
        }
    }

    /// The counter of `hash`, in 0..1.
    pub fn get(&self, hash: u64) -> f32 {
        self.slots[Self::index(hash)]
    }

    pub fn reset(&mut self, hash: u64) {
        self.slots[Self::index(hash)] = 0.0;
    }

    pub fn decay_all(&mut self) {
        for c in self.slots.iter_mut() {
            *c *= self.decay_factor;
        }
    }
}

/// Where a green key is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyState {
    Counting,
    /// Being traced now.
    Tracing,
    /// Has a compiled loop (the caller's number for it).
    Compiled(u32),
    /// Aborted [`MAX_ABORTS`] times: never traced again.
    DontTrace,
}

/// What the portal does at a merge point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Go on interpreting.
    Interpret,
    /// The key just got hot: start tracing from here.
    StartTracing,
    /// Enter the key's compiled loop.
    EnterCompiled(u32),
}

struct Cell {
    key: GreenKey,
    state: KeyState,
    aborts: u32,
}

/// The warm-up state of one JIT driver.
pub struct WarmState {
    pub params: JitParams,
    counter: JitCounter,
    cells: HashMap<u64, Vec<Cell>>,
}

impl WarmState {
    pub fn new(params: JitParams) -> WarmState {
        let counter = JitCounter::new(params.decay);
        WarmState { params, counter, cells: HashMap::new() }
    }

    fn cell(&mut self, key: &GreenKey, hash: u64) -> Option<&mut Cell> {
        self.cells.get_mut(&hash).and_then(|v| v.iter_mut().find(|c| &c.key == key))
    }

    fn cell_or_new(&mut self, key: &GreenKey, hash: u64) -> &mut Cell {
        let v = self.cells.entry(hash).or_default();
        match v.iter().position(|c| &c.key == key) {
            Some(i) => &mut v[i],
            None => {
                v.push(Cell { key: key.clone(), state: KeyState::Counting, aborts: 0 });
                v.last_mut().expect("just pushed")
            }
        }
    }

    /// The state of `key` (counting when never seen).
    pub fn state(&self, key: &GreenKey) -> KeyState {
        let hash = key.hash();
        self.cells.get(&hash).and_then(|v| v.iter().find(|c| &c.key == key)).map_or(KeyState::Counting, |c| c.state)
    }

    fn visit(&mut self, key: &GreenKey, threshold: u32) -> Action {
        if !self.params.enabled {
            return Action::Interpret;
        }
        let hash = key.hash();
        match self.cell(key, hash).map(|c| c.state) {
            Some(KeyState::Compiled(n)) => return Action::EnterCompiled(n),
            Some(KeyState::Tracing | KeyState::DontTrace) => return Action::Interpret,
            Some(KeyState::Counting) | None => {}
        }
        if self.counter.tick(hash, 1.0 / threshold as f32) {
            self.cell_or_new(key, hash).state = KeyState::Tracing;
            Action::StartTracing
        } else {
            Action::Interpret
        }
    }

    /// A back jump of the user's program (`can_enter_jit`, or the merge point after it).
    pub fn back_jump(&mut self, key: &GreenKey) -> Action {
        let t = self.params.threshold;
        self.visit(key, t)
    }

    /// An entry into the portal (a call of the interpreted function).
    pub fn function_entry(&mut self, key: &GreenKey) -> Action {
        let t = self.params.function_threshold;
        self.visit(key, t)
    }

    /// The trace started at `key` closed and was compiled as loop `number`.
    pub fn loop_compiled(&mut self, key: &GreenKey, number: u32) {
        let hash = key.hash();
        self.cell_or_new(key, hash).state = KeyState::Compiled(number);
    }

    /// The trace started at `key` was aborted: count again, or never again after
    /// [`MAX_ABORTS`].
    pub fn trace_aborted(&mut self, key: &GreenKey) {
        let hash = key.hash();
        self.counter.reset(hash);
        let cell = self.cell_or_new(key, hash);
        cell.aborts += 1;
        cell.state = if cell.aborts >= MAX_ABORTS { KeyState::DontTrace } else { KeyState::Counting };
    }

    /// Whether a guard that failed `failures` times should get a bridge.
    pub fn bridge_wanted(&self, failures: u64) -> bool {
        self.params.enabled && failures >= self.params.trace_eagerness as u64
    }

    /// Calls `f` with the address slot of every instance in a green key the table holds
    /// (the table is a GC root source: a moving collector updates them).
    pub fn for_each_ref_slot(&mut self, mut f: impl FnMut(&mut u64)) {
        for v in self.cells.values_mut() {
            for c in v.iter_mut() {
                for g in c.key.0.iter_mut() {
                    if let Green::Instance { addr, .. } = g {
                        f(addr);
                    }
                }
            }
        }
    }

    /// How many keys have a cell (for tests and the log).
    pub fn cells(&self) -> usize {
        self.cells.values().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> (JitParams, Vec<String>) {
        JitParams::parse(s)
    }

    #[test]
    fn parameters_parse_with_rpythons_names_and_defaults() {
        assert_eq!(parse(""), (JitParams::default(), vec![]));
        let (p, e) = parse("threshold=1039,trace_limit=6000");
        assert!(e.is_empty());
        assert_eq!((p.threshold, p.trace_limit), (1039, 6000));
        let (p, e) = parse(" threshold = 1 , function_threshold=2,trace_eagerness=3,decay=0, ");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!((p.threshold, p.function_threshold, p.trace_eagerness, p.decay, p.enabled), (1, 2, 3, 0, true));
        assert!(!parse("off").0.enabled);
        assert!(parse("off,on").0.enabled);
    }

    #[test]
    fn bad_parameters_are_messages_and_keep_their_defaults() {
        let d = JitParams::default();
        let (p, e) = parse("threshold=abc,trace_limit=0,decay=1001,bogus=3,off=1,threshold,trace_eagerness=-5,threshold=99999999999");
        assert_eq!(p, JitParams { ..d });
        assert_eq!(
            e,
            vec![
                "`threshold` needs a whole number from 1 to 4294967295, not `abc`",
                "`trace_limit` needs a whole number from 1 to 4294967295, not `0`",
                "`decay` needs a whole number from 0 to 1000, not `1001`",
                "unknown parameter `bogus` (known: threshold, function_threshold, trace_eagerness, trace_limit, decay, off)",
                "`off` takes no value",
                "`threshold` needs a value: `threshold=N`",
                "`trace_eagerness` needs a whole number from 1 to 4294967295, not `-5`",
                "`threshold` needs a whole number from 1 to 4294967295, not `99999999999`",
            ]
        );
        // A bad item does not spoil the good ones.
        let (p, e) = parse("threshold=x,trace_limit=7");
        assert_eq!((p.threshold, p.trace_limit, e.len()), (d.threshold, 7, 1));
    }

    fn key(pc: i64, prog: &str) -> GreenKey {
        GreenKey(vec![Green::Int(pc), Green::Str(prog.as_bytes().into())])
    }

    #[test]
    fn a_key_gets_hot_at_the_threshold_then_enters_its_loop() {
        let mut w = WarmState::new(JitParams { threshold: 5, ..JitParams::default() });
        let k = key(3, "+[->+<]");
        for _ in 0..4 {
            assert_eq!(w.back_jump(&k), Action::Interpret);
        }
        assert_eq!(w.back_jump(&k), Action::StartTracing);
        assert_eq!(w.state(&k), KeyState::Tracing);
        assert_eq!(w.back_jump(&k), Action::Interpret, "no second trace of a key being traced");
        w.loop_compiled(&k, 7);
        assert_eq!(w.back_jump(&k), Action::EnterCompiled(7));
        // Strings are compared by content, not by identity.
        assert_eq!(w.back_jump(&key(3, &String::from("+[->+<]"))), Action::EnterCompiled(7));
        assert_eq!(w.state(&key(4, "+[->+<]")), KeyState::Counting);
    }

    #[test]
    fn threshold_one_traces_at_once_and_off_never() {
        let mut w = WarmState::new(JitParams { threshold: 1, ..JitParams::default() });
        assert_eq!(w.back_jump(&key(0, "")), Action::StartTracing);
        let mut w = WarmState::new(JitParams { threshold: 1, enabled: false, ..JitParams::default() });
        assert_eq!(w.back_jump(&key(0, "")), Action::Interpret);
        let mut w = WarmState::new(JitParams { function_threshold: 2, ..JitParams::default() });
        assert_eq!(w.function_entry(&key(0, "")), Action::Interpret);
        assert_eq!(w.function_entry(&key(0, "")), Action::StartTracing);
    }

    #[test]
    fn aborted_keys_count_again_then_are_given_up() {
        let mut w = WarmState::new(JitParams { threshold: 2, ..JitParams::default() });
        let k = key(1, "x");
        for round in 0..MAX_ABORTS {
            assert_eq!(w.back_jump(&k), Action::Interpret, "round {round}: counting from zero again");
            assert_eq!(w.back_jump(&k), Action::StartTracing);
            w.trace_aborted(&k);
        }
        assert_eq!(w.state(&k), KeyState::DontTrace);
        for _ in 0..10 {
            assert_eq!(w.back_jump(&k), Action::Interpret);
        }
    }

    #[test]
    fn counters_decay() {
        let mut c = JitCounter::new(500);
        let h = key(1, "").hash();
        c.tick(h, 0.5);
        c.decay_all();
        assert_eq!(c.get(h), 0.25);
        let mut c = JitCounter::new(0);
        c.tick(h, 0.5);
        c.decay_all();
        assert_eq!(c.get(h), 0.5);
        // Warm now and then: with decay, 1000 ticks spread over many periods never fire
        // at a threshold of 1000.
        let mut w = WarmState::new(JitParams { threshold: 1000, decay: 1000, ..JitParams::default() });
        let k = key(9, "");
        for _ in 0..3 {
            for _ in 0..600 {
                assert_eq!(w.back_jump(&k), Action::Interpret);
            }
            // Other code runs for a period: one visit each of many keys.
            for i in 0..DECAY_PERIOD as i64 {
                w.back_jump(&key(1000 + i, ""));
            }
        }
    }

    #[test]
    fn instances_hash_by_identity_hash_and_compare_by_current_address() {
        let mut w = WarmState::new(JitParams { threshold: 1, ..JitParams::default() });
        let a = GreenKey(vec![Green::Int(0), Green::Instance { addr: 0x1000, hash: 42 }]);
        assert_eq!(w.back_jump(&a), Action::StartTracing);
        w.loop_compiled(&a, 1);
        // Another object with the same identity hash is another key.
        let b = GreenKey(vec![Green::Int(0), Green::Instance { addr: 0x2000, hash: 42 }]);
        assert_eq!(w.state(&b), KeyState::Counting);
        // The collector moves the object: the table follows, the hash stays.
        w.for_each_ref_slot(|addr| {
            if *addr == 0x1000 {
                *addr = 0x3000
            }
        });
        let moved = GreenKey(vec![Green::Int(0), Green::Instance { addr: 0x3000, hash: 42 }]);
        assert_eq!(w.back_jump(&moved), Action::EnterCompiled(1));
        assert_eq!(w.state(&a), KeyState::Counting, "nothing lives at the old address any more");
        assert_eq!(a.hash(), moved.hash());
        assert_ne!(GreenKey(vec![Green::Int(1)]).hash(), GreenKey(vec![Green::Str(Box::new([1, 0, 0, 0, 0, 0, 0, 0]))]).hash());
    }

    #[test]
    fn bridges_are_wanted_at_the_trace_eagerness() {
        let w = WarmState::new(JitParams { trace_eagerness: 3, ..JitParams::default() });
        assert!(!w.bridge_wanted(2));
        assert!(w.bridge_wanted(3));
    }
}
