package io.flowpay.script;

/**
 * The hardening prelude, evaluated in every fresh global before the flow. It evaluates to an
 * {@code install(host, inputJson, metaJson, replyJson, tableJson)} function that Java calls once:
 * it strips the Nashorn extensions that reach Java or the file system, disables {@code eval} and
 * {@code Function}, binds the flow's names, then freezes the built-ins and the facades.
 *
 * <p>The Java host is held only by closures in here. It takes and returns strings: {@code "+"}
 * followed by the result, or {@code "!"} followed by an error message that becomes a JS {@code Error}.
 */
final class Prelude {

  static final String FILE = "flowpay:prelude";

  private Prelude() {}

  static final String SOURCE = """
      (function (global) {
        'use strict';
        var ALLOWED = ['Object', 'Function', 'Array', 'String', 'Boolean', 'Number', 'Symbol', 'Date', 'RegExp',
          'Math', 'JSON', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError',
          'URIError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'parseInt', 'parseFloat', 'isNaN', 'isFinite',
          'encodeURI', 'encodeURIComponent', 'decodeURI', 'decodeURIComponent', 'escape', 'unescape',
          'NaN', 'Infinity', 'undefined', 'arguments', '__FILE__', '__DIR__', '__LINE__'];
        var parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze, define = Object.defineProperty;
        var keys = Object.keys, names = Object.getOwnPropertyNames, protoOf = Object.getPrototypeOf;

        return function install(host, inputJson, metaJson, replyJson, tableJson, javaNamesJson) {
          harden();
          shadowJava(parse(javaNamesJson));
          bind(hostCall(host), parse(inputJson), parse(metaJson), replyJson == null ? null : parse(replyJson),
            parse(tableJson));
          freezeBuiltins();
        };

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

        function data(name, value) {
          define(global, name, {value: value, writable: true, enumerable: false, configurable: false});
        }

        function bind(call, input, meta, reply, table) {
          var success = reply !== null && reply.success, failure = reply !== null && !reply.success;
          data('input', input);
          data('meta', meta);
          data('response', success ? input : undefined);
          data('parsed_data', success ? input : undefined);
          data('error', failure ? input : undefined);
          data('parsed_error', failure ? input : undefined);
          data('request', reply === null ? undefined : reply.request);
          data('carry', reply === null ? undefined : reply.carry);
          var log = logFacade(call);
          constant('ctx', deepFreeze(ctxFacade(call)));
          constant('stripe', deepFreeze(stripeFacade(call, table)));
          constant('flow', deepFreeze(flowFacade(call)));
          constant('log', deepFreeze(log));
          constant('print', log.info);
        }

        function hostCall(host) {
          return function (op, a, b, c, d, e) {
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

        // stripe.<resource>.<verb>: each top-level resource is built on first use (a run pays for the
        // verbs it reaches, not for the ~80 in the table), then frozen. Resources are not enumerable.
        function stripeFacade(call, table) {
          var stripe = {}, roots = {};
          keys(table).forEach(function (resource) {
            var root = resource.split('.')[0], create = table[resource].create;
            (roots[root] = roots[root] || []).push(resource);
            if (create && create.builder) stripe[create.builder] = stripeBuilder(call, resource, create.builder, create.params);
          });
          keys(roots).forEach(function (root) {
            var node = null;
            define(stripe, root, {get: function () {
              return node || (node = deepFreeze(resourceTree(call, table, roots[root])[root]));
            }});
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
          try { text = stringify(value); } catch (e) { text = undefined; }
          try { return text === undefined ? String(value) : text; } catch (e) { return '[unprintable]'; }
        }

        function deepFreeze(value) {
          freeze(value);
          keys(value).forEach(function (key) {
            var child = value[key];
            if ((typeof child === 'object' || typeof child === 'function') && child !== null && !Object.isFrozen(child)) {
              deepFreeze(child);
            }
          });
          return value;
        }

        function freezeBuiltins() {
          ALLOWED.forEach(function (name) {
            var value = global[name];
            if ((typeof value === 'object' || typeof value === 'function') && value !== null) {
              freeze(value);
              if (value.prototype) freeze(value.prototype);
            }
          });
          var arrayIterator = protoOf([][Symbol.iterator]());
          [arrayIterator, protoOf(arrayIterator), protoOf(new Map()[Symbol.iterator]()),
            protoOf(new Set()[Symbol.iterator]()), protoOf(''[Symbol.iterator]()), global.eval].forEach(freeze);
        }
      })(this)
      """;
}
