(function (global) {
  'use strict';
  var ALLOWED = ['Object', 'Function', 'Array', 'String', 'Boolean', 'Number', 'Symbol', 'Date', 'RegExp',
    'Math', 'JSON', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError',
    'URIError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'parseInt', 'parseFloat', 'isNaN', 'isFinite',
    'encodeURI', 'encodeURIComponent', 'decodeURI', 'decodeURIComponent', 'escape', 'unescape',
    'NaN', 'Infinity', 'undefined', 'arguments', '__FILE__', '__DIR__', '__LINE__'];
  var parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze, define = Object.defineProperty;
  var keys = Object.keys, names = Object.getOwnPropertyNames, protoOf = Object.getPrototypeOf;
  var symbols = Object.getOwnPropertySymbols, describe = Object.getOwnPropertyDescriptor;
  var exec = RegExp.prototype.exec, empty = /(?:)/;

  // This run's host and budget: set by run(), cleared when it ends. Only closures in here see them.
  var host = null, budget = null;

  // The calls LoopGuard inserts. A loop or function body counts down here and asks Java (RunBudget)
  // about the time only every so often; catch and finally blocks ask it what they must rethrow.
  // The count lives in an array: a plain `var` would box a new Double on every loop iteration.
  var left = [0];
  var guard = freeze(function () { if (--left[0] <= 0) left[0] = budget(); });
  var caught = freeze(function (e) { budget(e); plain(e); });

  // What Nashorn keeps in an error: its Java exception (own property `nashornException`, set when an
  // error is made or an object thrown) and the accessors of Error.prototype that read it. Both go:
  // these four become own data properties of each error, read once from the Java exception, which
  // is then deleted before a flow can see it (see plainErrors).
  var ERRORS = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'];
  var INFO = ['stack', 'lineNumber', 'columnNumber', 'fileName'], JAVA = 'nashornException';
  var noJava = {get: function () { return undefined; }, set: function () {}, enumerable: false, configurable: false};
  var hasOwn = Object.prototype.hasOwnProperty, infoOf = {}, preludeLine = /flowpay:prelude/, flowFrame = /\(([^()]*):(\d+)\)\s*$/;

  return function setup(tableJson, javaNamesJson) {
    harden();
    plainErrors();
    noSharedSlots();
    shadowJava(parse(javaNamesJson));
    var call = hostCall(), log = logFacade(call);
    var facades = {ctx: ctxFacade(call), stripe: stripeFacade(call, parse(tableJson)), flow: flowFacade(call),
      log: log, print: log.info, self: globalView()};
    var seen = new Set(), shared = [];
    freezeAll(facades, seen);
    freezeAll(global, seen);
    seen.forEach(function (value) { shared.push(value); });
    var arrays = shared.filter(Array.isArray), lengths = arrays.map(function (array) { return array.length; });
    var slots = slotsOf(), run = freeze(function run(factory, runHost, inputJson, metaJson, replyJson, runBudget) {
      host = runHost;
      budget = runBudget;
      left[0] = 0;
      exec.call(empty, '');  // RegExp.$1, lastMatch, input...: the previous run's match is gone
      try {
        enter(factory, facades, parse(inputJson), parse(metaJson), replyJson == null ? null : parse(replyJson));
      } finally {
        host = null;
        budget = null;
      }
    });
    // The production check after every run: no shared array grew, no internal slot moved; and (Java's
    // FrozenObjects, handed every shared object here once) nothing shared grew a property or thawed.
    var unchanged = freeze(function unchanged() {
      if (slotsOf() !== slots) return false;
      for (var j = 0; j < arrays.length; j++) if (arrays[j].length !== lengths[j]) return false;
      return true;
    });
    var handOver = freeze(function handOver(sink) {
      for (var i = 0; i < shared.length; i++) sink(shared[i]);
    });
    return freeze({run: run, unchanged: unchanged, handOver: handOver});
  };

  // The internal values of shared built-ins that their own methods can change (see noSharedSlots).
  function slotsOf() {
    var re = RegExp.prototype;
    return Date.prototype.getTime() + '|' + re.source + '|' + re.global + re.ignoreCase + re.multiline + '|'
      + re.lastIndex;
  }

  // Error objects hold no Java object and Error.prototype no hidden state (see INFO above). The
  // constructors become wrappers that hand out plain errors; errors the engine throws are made plain
  // in every catch (LoopGuard's __flowpay_caught); an inherited accessor makes Nashorn call a no-op
  // setter instead of adding the Java exception to any other object thrown (frozen ones included).
  function plainErrors() {
    INFO.forEach(function (name) {
      infoOf[name] = describe(Error.prototype, name).get;
      delete Error.prototype[name];
    });
    define(Object.prototype, JAVA, noJava);
    // An object whose prototype chain does not reach Object.prototype gets the same accessor itself.
    var create = Object.create, setProto = Object.setPrototypeOf, proto = describe(Object.prototype, '__proto__');
    define(Object, 'create', {value: function (parent, properties) {
      return rooted(arguments.length > 1 ? create(parent, properties) : create(parent));
    }, writable: false, enumerable: false, configurable: false});
    define(Object, 'setPrototypeOf', {value: function (object, parent) {
      return rooted(setProto(object, parent));
    }, writable: false, enumerable: false, configurable: false});
    define(Object.prototype, '__proto__', {get: proto.get, set: function (parent) {
      proto.set.call(this, parent);
      rooted(this);
    }, enumerable: false, configurable: false});
    ERRORS.forEach(function (name) {
      var Native = global[name], proto = Native.prototype;
      var Plain = function (message) { return plain(arguments.length === 0 ? new Native() : new Native(message)); };
      Plain.prototype = proto;
      define(proto, 'constructor', {value: Plain, writable: false, enumerable: false, configurable: false});
      constant(name, Plain);
    });
  }

  function rooted(object) {
    if (object !== null && typeof object === 'object' && protoOf(object) === null && !hasOwn.call(object, JAVA)
        && Object.isExtensible(object)) {
      define(object, JAVA, noJava);
    }
    return object;
  }

  function plain(e) {
    if (e === null || (typeof e !== 'object' && typeof e !== 'function') || !hasOwn.call(e, JAVA)) return e;
    if (!('value' in describe(e, JAVA))) return e;  // Object.prototype's own accessor
    var info = {};
    INFO.forEach(function (name) { info[name] = infoOf[name].call(e); });
    delete e[JAVA];
    if (typeof info.stack === 'string') {
      var lines = info.stack.split('\n').filter(function (line) { return !preludeLine.test(line); });
      info.stack = lines.join('\n');
      var at = lines.length > 1 ? flowFrame.exec(lines[1]) : null;
      if (preludeLine.test(String(info.fileName)) && at !== null) {
        info.fileName = at[1];
        info.lineNumber = Number(at[2]);
        info.columnNumber = undefined;
      }
    }
    INFO.forEach(function (name) {
      if (info[name] !== undefined) define(e, name, {value: info[name], writable: true, enumerable: false, configurable: true});
    });
    return e;
  }

  // A frozen object's internal slots still change through its own methods: Date.prototype is a Date,
  // RegExp.prototype a RegExp. Those methods refuse the shared prototype as `this`; unshift refuses
  // any frozen array.
  function noSharedSlots() {
    // Nashorn's unshift writes into frozen arrays (found by SandboxBoundaryTest).
    var unshift = Array.prototype.unshift;
    define(Array.prototype, 'unshift', {value: function () {
      if (arguments.length > 0 && !Object.isExtensible(Object(this))) throw new TypeError('unshift cannot add to a frozen array');
      return unshift.apply(this, arguments);
    }, writable: false, enumerable: false, configurable: false});
    [[Date.prototype, /^set/], [RegExp.prototype, /^compile$/]].forEach(function (pair) {
      var proto = pair[0];
      names(proto).filter(function (name) { return pair[1].test(name); }).forEach(function (name) {
        var method = proto[name];
        define(proto, name, {value: function () {
          if (this === proto) throw new TypeError(name + ' cannot change a built-in prototype');
          return method.apply(this, arguments);
        }, writable: false, enumerable: false, configurable: false});
      });
    });
  }

  // Runs a guarded flow (LoopGuard's wrapper) with this run's names; `this` is the frozen view of the
  // global's built-ins (globalView).
  function enter(factory, facades, input, meta, reply) {
    var success = reply !== null && reply.success, failure = reply !== null && !reply.success;
    factory(guard, caught, input, meta, facades.ctx, facades.stripe, facades.flow, facades.log, facades.print,
      success ? input : undefined, success ? input : undefined, failure ? input : undefined,
      failure ? input : undefined, reply === null ? undefined : reply.request,
      reply === null ? undefined : reply.carry).call(facades.self);
  }

  // A flow's `this`: the global's standard names, without the global itself, whose __FILE__, __DIR__
  // and __LINE__ hold a Java object (Nashorn's placeholder, neither writable nor configurable).
  function globalView() {
    var view = {};
    names(global).forEach(function (name) {
      if (!/^__/.test(name) && ['engine', 'context', 'arguments'].indexOf(name) < 0) {
        define(view, name, {value: global[name], writable: false, enumerable: false, configurable: false});
      }
    });
    return view;
  }

  function harden() {
    // Strict mode: a non-deletable extension makes this throw, so every run fails instead of leaking.
    names(global).forEach(function (name) {
      if (ALLOWED.indexOf(name) < 0) delete global[name];
    });
    constant('engine', undefined);
    constant('context', undefined);
    var FunctionPrototype = Function.prototype, NoFunction = disabled('Function');
    NoFunction.prototype = FunctionPrototype;
    define(FunctionPrototype, 'constructor', {value: NoFunction, writable: false, configurable: false});
    constant('Function', NoFunction);
    constant('eval', disabled('eval'));
    ['bindProperties', 'setIndexedPropertiesToExternalArrayData'].forEach(function (n) { delete Object[n]; });
    ['captureStackTrace', 'dumpStack'].forEach(function (n) { delete Error[n]; });
    ['printStackTrace', 'getStackTrace'].forEach(function (n) { delete Error.prototype[n]; });
  }

  // A primitive's missing property falls through to its Java object: shadow those names. Nashorn's
  // String lacks ES6 startsWith/endsWith/includes/repeat (scripts got Java's): give them the JS ones.
  function shadowJava(javaNames) {
    var strings = String.prototype, polyfills = {
      startsWith: function (s, at) { at = at || 0; return this.substring(at, at + String(s).length) === String(s); },
      endsWith: function (s, end) {
        var text = String(this), to = end === undefined ? text.length : end;
        return text.substring(to - String(s).length, to) === String(s);
      },
      includes: function (s, at) { return this.indexOf(String(s), at || 0) >= 0; },
      repeat: function (count) {
        if (count < 0 || count === Infinity) throw new RangeError('Invalid count value');
        return new Array(Math.floor(count) + 1).join(this);
      }
    };
    keys(polyfills).forEach(function (name) {
      if (!(name in strings)) define(strings, name, {value: polyfills[name], writable: false, configurable: false});
    });
    // One object of undefineds between each primitive prototype and Object.prototype: a few
    // prototype changes instead of hundreds of property adds on built-ins (those cost ~10 us each).
    var shadow = Object.create(Object.prototype);
    javaNames.forEach(function (name) {
      if (!(name in Object.prototype)) define(shadow, name, {value: undefined, writable: false, configurable: false});
    });
    [strings, Number.prototype, Boolean.prototype, Symbol.prototype].forEach(function (proto) {
      Object.setPrototypeOf(proto, shadow);
    });
    freeze(shadow);
  }

  function disabled(what) {
    return function () { throw new Error(what + ' is disabled in flows'); };
  }

  function constant(name, value) {
    define(global, name, {value: value, writable: false, enumerable: false, configurable: false});
  }

  function hostCall() {
    return function (op, a, b, c, d, e) {
      if (host === null) throw new Error(op + ' was called outside a run of the flow');
      var result = host(op, a, b, c, d, e);
      if (result.charAt(0) === '!') throw new Error(result.substring(1));
      return result.substring(1);
    };
  }

  function jsonOf(what, value) {
    var text = value === undefined ? undefined : stringify(value);
    if (text === undefined) {
      throw new Error(what + ' must be a JSON value (object, array, string, number, boolean or null), got '
        + typeof value);
    }
    return text;
  }

  function optional(what, value) {
    return value === undefined || value === null ? null : jsonOf(what, value);
  }

  function keyOf(what, key) {
    if (typeof key !== 'string') throw new Error(what + ': the key must be a string, got ' + typeof key);
    return key;
  }

  function ctxFacade(call) {
    return {
      get: function (key) {
        var text = call('ctx.get', keyOf('ctx.get', key));
        return text === '' ? undefined : parse(text);
      },
      set: function (key, value) { call('ctx.set', keyOf('ctx.set', key), jsonOf('ctx.set: the value', value)); },
      del: function (key) { call('ctx.del', keyOf('ctx.del', key)); },
      all: function () { return parse(call('ctx.all')); }
    };
  }

  // stripe.<resource>.<verb>, built once per global from the Stripe table (setup freezes it all).
  function stripeFacade(call, table) {
    var stripe = {}, roots = {};
    keys(table).forEach(function (resource) {
      var root = resource.split('.')[0], create = table[resource].create;
      (roots[root] = roots[root] || []).push(resource);
      if (create && create.builder) stripe[create.builder] = stripeBuilder(call, resource, create.builder, create.params);
    });
    keys(roots).forEach(function (root) {
      stripe[root] = resourceTree(call, table, roots[root])[root];
    });
    stripe.request = function (method, path, params, options) {
      return call('stripe.request', String(method), String(path), optional('stripe.request: params', params),
        optional('stripe.request: options', options));
    };
    return stripe;
  }

  function resourceTree(call, table, resources) {
    var tree = {};
    resources.forEach(function (resource) {
      var node = resource.split('.').reduce(function (parent, part) {
        return parent[part] || (parent[part] = {});
      }, tree);
      keys(table[resource]).forEach(function (verb) {
        node[verb] = stripeVerb(call, resource, verb, table[resource][verb].needsId);
      });
    });
    return tree;
  }

  function stripeVerb(call, resource, verb, needsId) {
    var name = 'stripe.' + resource + '.' + verb;
    function send(id, params, options) {
      return call('stripe', resource, verb, id, optional(name + ': params', params),
        optional(name + ': options', options));
    }
    return needsId
      ? function (id, params, options) { return send(typeof id === 'string' ? id : null, params, options); }
      : function (params, options) { return send(null, params, options); };
  }

  // stripe.newPaymentIntent().amount(2000).currency('usd').create(options) makes the very call
  // stripe.paymentIntents.create({amount: 2000, currency: 'usd'}, options) makes. One setter per Stripe
  // param, in camelCase; .param(name, value) sets any other; .option(name, value) sets a call option.
  function stripeBuilder(call, resource, name, paramNames) {
    return function () {
      var params = {}, options = null, builder = {
        param: function (key, value) { params[keyOf(name + '().param', key)] = value; return builder; },
        option: function (key, value) {
          options = options || {};
          options[keyOf(name + '().option', key)] = value;
          return builder;
        },
        create: function (more) {
          return stripeVerb(call, resource, 'create', false)(params,
            options === null ? more : mergeOptions(name, options, more));
        }
      };
      paramNames.split(' ').forEach(function (param) {
        var setter = param.replace(/_([a-z0-9])/g, function (all, c) { return c.toUpperCase(); });
        if (!(setter in builder)) builder[setter] = function (value) { params[param] = value; return builder; };
      });
      return freeze(builder);
    };
  }

  function mergeOptions(name, options, more) {
    if (more === undefined || more === null) return options;
    if (typeof more !== 'object' || Array.isArray(more)) {
      throw new Error(name + '().create: options must be an object like {carry: {...}}, got ' + typeof more);
    }
    var merged = {};
    keys(options).forEach(function (key) { merged[key] = options[key]; });
    keys(more).forEach(function (key) { merged[key] = more[key]; });
    return merged;
  }

  function flowFacade(call) {
    return {
      dispatch: function (name, input, options) {
        return call('flow.dispatch', String(name), input === undefined ? 'null' : jsonOf('flow.dispatch: input', input),
          optional('flow.dispatch: options', options));
      },
      after: function (ms, name, input, options) {
        return call('flow.after', String(ms), String(name), input === undefined ? 'null' : jsonOf('flow.after: input', input),
          optional('flow.after: options', options));
      }
    };
  }

  function logFacade(call) {
    function at(level) {
      return function () {
        var parts = [];
        for (var i = 0; i < arguments.length; i++) parts.push(show(arguments[i]));
        call('log', level, parts.join(' '));
      };
    }
    return {info: at('info'), warn: at('warn'), error: at('error')};
  }

  function show(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return String(value);
    var text;
    try { text = stringify(value); } catch (e) { caught(e); text = undefined; }
    try { return text === undefined ? String(value) : text; } catch (e) { caught(e); return '[unprintable]'; }
  }

  // Freezes `root` and everything reachable from it: own properties (symbol keys too), getters and
  // setters, prototypes. After this no object a flow can reach without creating it can change.
  function freezeAll(root, seen) {
    var todo = [root, protoOf([][Symbol.iterator]()), protoOf(new Map()[Symbol.iterator]()),
      protoOf(new Set()[Symbol.iterator]()), protoOf(''[Symbol.iterator]())];
    while (todo.length > 0) {
      var value = todo.pop();
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) continue;
      seen.add(value);
      freeze(value);
      todo.push(protoOf(value));
      var own = names(value), bySymbol = symbols(value);
      for (var i = 0; i < own.length; i++) {
        var property = describe(value, own[i]);
        if (property) todo.push(property.value, property.get, property.set);
      }
      // Nashorn describes no symbol-keyed property; here they are all built-in methods, read as values.
      for (var j = 0; j < bySymbol.length; j++) todo.push(value[bySymbol[j]]);
    }
  }
})(this)
