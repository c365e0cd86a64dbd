// What a flow test file (*.test.js, run by `flowpay test`) sees: test(), the answer helpers, and `t`.
// Every call on `t` goes to io.flowpay.flowtest.TestCase (__h) as JSON text.
var __flowtest = (function (h) {
  'use strict';
  var tests = [];
  var UNITS = {ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000};

  function text(value) {
    return value === undefined ? 'undefined' : JSON.stringify(value);
  }

  function fail(message) {
    h.fail(message);
  }

  function duration(value) {
    if (typeof value === 'number') {
      return value;
    }
    var parts = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(String(value));
    if (!parts) {
      fail("t.advance('" + value + "'): write a duration as 500 (ms), '30s', '5m', '2h' or '3d'");
    }
    return parseFloat(parts[1]) * UNITS[parts[2]];
  }

  // Where `actual` differs from `expected`, or null. Only the keys `expected` names are compared; with
  // `form`, a number or boolean equals the text Stripe's form encoding sends for it (500 and '500').
  function mismatch(actual, expected, form, path) {
    if (expected === null || typeof expected !== 'object') {
      var same = actual === expected || (expected === null && actual === undefined)
        || (form && typeof actual === 'string' && (typeof expected === 'number' || typeof expected === 'boolean')
          && String(expected) === actual);
      return same ? null : path + ': expected ' + text(expected) + ', got ' + text(actual);
    }
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual) !== Array.isArray(expected)) {
      return path + ': expected ' + text(expected) + ', got ' + text(actual);
    }
    if (Array.isArray(expected) && expected.length !== actual.length) {
      return path + ': expected ' + expected.length + ' item(s) ' + text(expected) + ', got ' + text(actual);
    }
    var keys = Object.keys(expected);
    for (var i = 0; i < keys.length; i++) {
      var found = mismatch(actual[keys[i]], expected[keys[i]], form,
        Array.isArray(expected) ? path + '[' + keys[i] + ']' : path + '.' + keys[i]);
      if (found) {
        return found;
      }
    }
    return null;
  }

  function describe(calls) {
    return calls.length === 0 ? 'none' : calls.map(function (c) { return c.method + ' ' + c.path; }).join(', ');
  }

  function answer(status, body) {
    return {status: status, body: body};
  }

  var t = {
    context: function (name) { h.context(name); return t; },
    contextId: function (name) { return h.contextId(name === undefined ? null : name); },
    given: function (state) { h.given(JSON.stringify(state)); return t; },
    stripe: function (route, response, options) {
      h.stripe(route, JSON.stringify(response), options && options.times !== undefined ? options.times : -1);
      return t;
    },
    start: function (flow, input) { h.start(flow, JSON.stringify(input === undefined ? {} : input)); return t; },
    event: function (type, object, options) {
      h.event(type, JSON.stringify(object), options && options.flow ? options.flow : null);
      return t;
    },
    advance: function (time) { h.advance(duration(time)); return t; },
    state: function (name) { return JSON.parse(h.state(name === undefined ? null : name)); },
    runs: function () { return JSON.parse(h.runs()); },
    calls: function (route) { return JSON.parse(h.calls(route === undefined ? null : route)); },

    expectState: function (expected, name) {
      var found = mismatch(t.state(name), expected, false, 'state');
      if (found) {
        fail(found);
      }
      return t;
    },
    expectRuns: function (expected) {
      var actual = t.runs().map(function (run) { return run.flow + ' ' + run.status; });
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        fail('runs: expected ' + text(expected) + ', got ' + text(actual));
      }
      return t;
    },
    expectCall: function (route, params, options) {
      var calls = t.calls(route);
      var nth = options && options.nth !== undefined ? options.nth : 0;
      if (calls.length <= nth) {
        fail('no call ' + (nth > 0 ? '#' + (nth + 1) + ' ' : '') + 'on ' + route + '; calls made: '
          + describe(t.calls()));
      }
      var found = params === undefined ? null : mismatch(calls[nth].params, params, true, route + ' params');
      if (found) {
        fail(found + ' (sent: ' + calls[nth].form + ')');
      }
      return t;
    },
    expectBody: function (route, body, options) {
      var calls = t.calls(route);
      var nth = options && options.nth !== undefined ? options.nth : 0;
      if (calls.length <= nth) {
        fail('no call on ' + route + '; calls made: ' + describe(t.calls()));
      }
      if (calls[nth].form !== body) {
        fail(route + ' body: expected ' + text(body) + ', got ' + text(calls[nth].form));
      }
      return t;
    },
    expectCalls: function (route, count) {
      var calls = route === null ? t.calls() : t.calls(route);
      if (calls.length !== count) {
        fail('expected ' + count + ' call(s)' + (route === null ? '' : ' on ' + route) + ', got ' + calls.length
          + ': ' + describe(calls));
      }
      return t;
    },
    expectNoCall: function (route) { return t.expectCalls(route, 0); },
    expectLog: function (part) {
      var lines = [];
      t.runs().forEach(function (run) {
        (run.logs || []).forEach(function (line) { lines.push(line.message); });
      });
      if (!lines.some(function (line) { return line.indexOf(part) >= 0; })) {
        fail('no log line contains ' + text(part) + '; logged: ' + text(lines));
      }
      return t;
    },
    equal: function (actual, expected, what) {
      var found = mismatch(actual, expected, false, what || 'value');
      if (found) {
        fail(found);
      }
      return t;
    },
    ok: function (condition, what) {
      if (!condition) {
        fail(what || 'expected a true value');
      }
      return t;
    },
    fail: fail
  };

  return {
    test: function (name, body) {
      if (typeof name !== 'string' || typeof body !== 'function') {
        throw new TypeError("write a test as test('what it shows', t => { ... })");
      }
      tests.push({name: name.replace(/\n/g, ' '), body: body});
    },
    names: function () { return tests.map(function (entry) { return entry.name; }).join('\n'); },
    run: function (index) { tests[index].body(t); },
    fixture: function (name, overrides) {
      var object = JSON.parse(h.fixture(name));
      return answer(200, overrides ? merge(object, overrides) : object);
    }
  };

  function merge(target, changes) {
    Object.keys(changes).forEach(function (key) {
      var change = changes[key];
      if (change && typeof change === 'object' && !Array.isArray(change) && target[key]
        && typeof target[key] === 'object' && !Array.isArray(target[key])) {
        merge(target[key], change);
      } else {
        target[key] = change;
      }
    });
    return target;
  }
})(typeof __h === 'undefined' ? null : __h);

var test = __flowtest.test;

/** A Stripe example object (as the stand-in has them), with `overrides` merged in: a 200 answer. */
function fixture(name, overrides) {
  return __flowtest.fixture(name, overrides);
}

/** A 200 answer with this object. */
function ok(object) {
  return {status: 200, body: object};
}

/** Stripe's error envelope: stripeError(402, 'card_error', 'card_declined', {decline_code: 'insufficient_funds'}). */
function stripeError(status, type, code, fields) {
  var error = {type: type, message: (fields && fields.message) || 'Test error: ' + (code || type)};
  if (code) {
    error.code = code;
  }
  Object.keys(fields || {}).forEach(function (key) { error[key] = fields[key]; });
  return {status: status, body: {error: error}};
}

/** A card decline (HTTP 402, card_error, code card_declined) with this decline_code (default generic_decline). */
function decline(declineCode, message) {
  return stripeError(402, 'card_error', 'card_declined',
    {decline_code: declineCode || 'generic_decline', message: message || 'Your card was declined.'});
}

/** Stripe's HTTP 429 rate_limit_error. */
function rateLimited() {
  return stripeError(429, 'rate_limit_error', 'rate_limit', {message: 'Too many requests hit the API too quickly.'});
}

/** An HTTP 500 api_error: the outcome is unknown, so Flowpay retries, then reconciles. */
function serverError() {
  return stripeError(500, 'api_error', null, {message: 'Something went wrong on Stripe\'s end.'});
}

/** No answer: the connection is reset once the request is sent (Flowpay cannot tell whether Stripe acted). */
function noAnswer() {
  return {no_answer: true};
}
