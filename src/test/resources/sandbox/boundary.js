// The harness of SandboxBoundaryTest, run as an ordinary flow: what a flow can reach, and what it can change.
// input.mode: 'walk' (reach everything, calling every function found: no Java object may turn up),
// 'fingerprint' (one log line per reachable shared object: properties, accessors, internal values read
// through getters), 'hostile' (call every reachable function with shared objects and odd values as `this`
// and arguments, assign and redefine every property; input.seed picks which).
var global = this, mode = input.mode;
var names = Object.getOwnPropertyNames, symbols = Object.getOwnPropertySymbols, describeNamed = Object.getOwnPropertyDescriptor;
// Nashorn describes no symbol-keyed property (it throws): those are read as values.
function describe(o, k) { return typeof k === 'string' ? describeNamed(o, k) : undefined; }
var protoOf = Object.getPrototypeOf, apply = Function.prototype.apply, bind = Function.prototype.bind;
var tagOf = function (v) { return Object.prototype.toString.call(v); }, JS_TAG = /^\[object [A-Za-z ]*\]$/;
// Names read on every object through its prototype chain too: where Nashorn keeps or once kept Java objects.
var MAGIC = ['nashornException', '__proto__', 'constructor', 'prototype', 'caller', 'callee', 'arguments', 'stack',
  'lineNumber', 'columnNumber', 'fileName', 'class', 'getClass', 'lastIndex', 'source', 'global', 'message', 'name'];
var SHARED_ROOTS = [global, ctx, stripe, flow, log, print, Object(''), Object(0), Object(true), Object(Symbol.iterator),
  [][Symbol.iterator](), new Map().entries(), new Set().values(), ''[Symbol.iterator]()];

function isObject(v) { return v !== null && (typeof v === 'object' || typeof v === 'function'); }
function keysOf(o) { return names(o).concat(symbols(o)); }
var symbolText = Symbol.prototype.toString;
function keyText(k) { return typeof k === 'string' ? k : '@@' + symbolText.call(k); }

// Every object reachable from `roots` through own properties (values, getters, setters, what getters give),
// symbol keys, the MAGIC names and prototypes. visit(object, path) sees each once, in a stable order.
function reach(roots, visit, more, withErrors) {
  var seen = new Map(), queue = [];
  function add(v, path, gen) {
    if (isObject(v) && !seen.has(v)) { seen.set(v, queue.length); queue.push([v, path, gen]); }
  }
  roots.forEach(function (root, i) { add(root[1], root[0], 0); });
  for (var at = 0; at < queue.length; at++) {
    var v = queue[at][0], path = queue[at][1], gen = queue[at][2];
    if (visit(v, path) === false) continue;
    keysOf(v).forEach(function (k) {
      var d = describe(v, k), value;
      if (d) { add(d.value, path + '.' + keyText(k), gen); add(d.get, path + '.get ' + keyText(k), gen); add(d.set, path + '.set ' + keyText(k), gen); }
      try { value = v[k]; } catch (e) { value = withErrors ? e : undefined; }
      add(value, path + '.' + keyText(k), gen);
    });
    MAGIC.forEach(function (k) {
      var value;
      try { value = v[k]; } catch (e) { value = withErrors ? e : undefined; }
      add(value, path + '.' + k, gen);
    });
    add(protoOf(v), path + '.__proto__', gen);
    if (more) more(v, path, gen, add);
  }
  return queue.map(function (item) { return item[0]; });
}

function construct(f, args) { return new (apply.call(bind, f, [null].concat(args)))(); }

var ARGS = [[], [1], ['a'], [{}], [function () { return 1; }], [[1, 2]], ['a', 'b'], [0, 1], [{a: 1}, 'a']];

// (a) No Java object anywhere: every function is called (and constructed) with a few argument lists,
// with no `this` and with the object it was found on; results and errors are walked in turn (two levels).
function walk() {
  var stats = {objects: 0, properties: 0, calls: 0, errors: 0, java: []}, homes = new Map();
  var runNames = ['input', 'meta', 'ctx', 'stripe', 'flow', 'log', 'print', 'response', 'parsed_data', 'error',
    'parsed_error', 'request', 'carry'];
  var values = [input, meta, ctx, stripe, flow, log, print, response, parsed_data, error, parsed_error, request, carry];
  var roots = [['this', global]].concat(runNames.map(function (n, i) { return [n, values[i]]; }))
    .concat(SHARED_ROOTS.slice(1).map(function (r, i) { return ['root' + i, r]; }));
  reach(roots, function (v, path) {
    if (!JS_TAG.test(tagOf(v))) { stats.java.push(path + ' is ' + tagOf(v)); return false; }
    stats.objects++;
    stats.properties += keysOf(v).length;
    keysOf(v).forEach(function (k) { var d = describe(v, k); if (d && isObject(d.value) && !homes.has(d.value)) homes.set(d.value, v); });
    return true;
  }, function (v, path, gen, add) {
    if (typeof v !== 'function' || gen >= 1) return;
    if (input.debug) log.info('calling ' + path);
    ARGS.forEach(function (args) {
      [undefined, homes.get(v)].forEach(function (self) {
        stats.calls++;
        try { add(apply.call(v, self, args), path + '(' + args.length + ')', gen + 1); } catch (e) { stats.errors++; add(e, path + '(' + args.length + ') threw', gen + 1); }
      });
      stats.calls++;
      try { add(construct(v, args), 'new ' + path, gen + 1); } catch (e) { stats.errors++; add(e, 'new ' + path + ' threw', gen + 1); }
    });
  }, true);
  log.info(JSON.stringify(stats));
}

function sharedObjects() {
  return reach(SHARED_ROOTS.map(function (r, i) { return ['root' + i, r]; }), function () { return true; });
}

// (b) One line per shared object: its prototype, flags, every own property with its attributes, and what
// every reader (get*, to*, valueOf and every accessor's getter) answers with the object as `this`.
function fingerprint() {
  var objects = sharedObjects(), ids = new Map();
  objects.forEach(function (o, i) { ids.set(o, i); });
  function id(v) {
    if (isObject(v)) return ids.has(v) ? '#' + ids.get(v) : 'new ' + tagOf(v);
    if (v === 0 && 1 / v < 0) return '-0';
    return typeof v + ':' + (typeof v === 'symbol' ? keyText(v) : String(v));
  }
  var found = new Set(), readers = [];
  objects.forEach(function (o) {
    keysOf(o).forEach(function (k) {
      var d = describe(o, k);
      if (d && typeof d.value === 'function' && /^(get|to[A-Z]|toString$|valueOf$)/.test(keyText(k))) found.add(d.value);
      if (d && d.get) found.add(d.get);
    });
  });
  found.forEach(function (reader) { readers.push(reader); });
  objects.forEach(function (o, i) {
    var line = ['#' + i, tagOf(o), 'proto=' + id(protoOf(o)), 'extensible=' + Object.isExtensible(o), 'frozen=' + Object.isFrozen(o)];
    keysOf(o).sort(function (a, b) { return keyText(a) < keyText(b) ? -1 : 1; }).forEach(function (k) {
      var d = describe(o, k), value;
      try { value = o[k]; } catch (e) { value = e; }
      line.push(keyText(k) + (d ? (d.get || d.set ? '{get ' + id(d.get) + ' set ' + id(d.set) + '}' : '{' + id(d.value) + ' w' + d.writable)
        + ' e' + d.enumerable + ' c' + d.configurable + '}' : '') + '=' + id(value));
    });
    MAGIC.forEach(function (k) { var value; try { value = o[k]; } catch (e) { value = 'threw ' + e.name; } line.push('.' + k + '=' + id(value)); });
    // A function's internal state (its code, a bound target) cannot change: readers look at the others.
    if (typeof o !== 'function') readers.forEach(function (reader, r) {
      var value;
      try { value = id(reader.call(o)); } catch (e) { value = 'threw'; }
      if (value !== 'threw') line.push('r' + r + '=' + value);
    });
    log.info(line.join(' '));
  });
}

// A value whose conversions act: if any later run converts it, that run writes, dispatches and logs.
var evil = {
  toString: function () { ctx.set('stolen', 'toString'); flow.dispatch('stolen', {}); return 'evil'; },
  valueOf: function () { ctx.set('stolen', 'valueOf'); return 4242; },
  toJSON: function () { ctx.set('stolen', 'toJSON'); return 'evil'; }
};

// (b) Calls every function reachable from the shared objects with shared objects and odd values as
// `this` and arguments, and assigns, deletes and redefines every property of every shared object.
function hostile(seed) {
  var state = (seed % 2147483646) + 1, tried = 0;
  function random(n) { state = (state * 16807) % 2147483647; return state % n; }
  var objects = sharedObjects(), functions = [];
  objects.forEach(function (o) {
    if (typeof o === 'function') functions.push(o);
    keysOf(o).forEach(function (k) { var d = describe(o, k); if (d && d.set) functions.push(d.set); if (d && d.get) functions.push(d.get); });
  });
  var odd = [undefined, null, 0, -0, -1, 1.5, 7, NaN, Infinity, '', 'g', 'gimy', '(a|b)*', '4242', true, false, {}, [],
    [1, 2], evil, function () { return evil; }, Symbol.iterator, new Date(0), /x/g, {length: 3, 0: 'a'}, {lastIndex: 9}];
  var pool = odd.concat(objects);
  function pick() { return pool[random(pool.length)]; }
  // Every function with every shared non-function object (prototypes, facades) and every odd value as `this`,
  // with arguments the seed picks; a few calls more with random `this` (functions too) and `new`.
  var targets = objects.filter(function (o) { return typeof o !== 'function'; }).concat(odd);
  function args() {
    var list = [], n = random(4);
    for (var j = 0; j < n; j++) list.push(pick());
    return list;
  }
  var from = input.from || 0, to = Math.min(functions.length, from + (input.count || functions.length));
  functions.slice(from, to).forEach(function (f) {
    targets.forEach(function (self) {
      tried++;
      try { apply.call(f, self, args()); } catch (e) {}
    });
    for (var i = 0; i < 4; i++) {
      tried++;
      try { if (i === 0) construct(f, args()); else apply.call(f, pick(), args()); } catch (e) {}
    }
  });
  if (to === functions.length) objects.forEach(function (o) {
    keysOf(o).concat(MAGIC).forEach(function (k) {
      tried += 3;
      try { o[k] = pick(); } catch (e) {}
      try { delete o[k]; } catch (e) {}
      try { Object.defineProperty(o, k, {value: pick()}); } catch (e) {}
    });
    tried += 2;
    try { Object.setPrototypeOf(o, pick()); } catch (e) {}
    try { o['planted' + random(9)] = evil; } catch (e) {}
  });
  log.info(JSON.stringify({tried: tried, objects: objects.length, targets: targets.length, functions: functions.length,
    from: from, to: to}));
}

if (mode === 'walk') walk();
else if (mode === 'fingerprint') fingerprint();
else if (mode === 'hostile') hostile(input.seed);
