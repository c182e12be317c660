'use strict'
// The error classes of mobilemoney.js, with its inheritance, for code that imports them.
// This package never throws them: calls resolve [false, failure]. `toError(failure)`
// builds the matching instance for code that wants to throw.

/**
 * A root class (a direct subclass of Error, as in mobilemoney.js) whose instances carry
 * their class's name and the failure they were built from. The computed key names the
 * class, so stack traces and `constructor.name` read as before.
 */
function rootError(name) {
  return {
    [name]: class extends Error {
      constructor(message, failure) {
        super(message)
        this.name = this.constructor.name
        if (failure) this.failure = failure
      }
    },
  }[name]
}

const MomoError = rootError('MomoError')
class HTTPError extends MomoError {}
class MomoServerError extends HTTPError {}
class Unauthorized extends HTTPError {}
class InvalidData extends HTTPError {}
class NotFound extends HTTPError {}
class Conflict extends HTTPError {}

// Not a MomoError: mobilemoney.js threw these for bad input, before any request.
const InputError = rootError('InputError')
class InvalidUniqueIDVersion extends InputError {}
class InvalidBasicToken extends InputError {}
class InvalidBearerToken extends InputError {}

/** The error instance a mobilemoney.js call would have thrown for this failure. */
function toError(failure) {
  // A failure's kind names one of the exported subclasses (HTTPError and MomoError
  // themselves are the fallbacks, not kinds).
  const named = module.exports[failure && failure.error]
  const isKind = named && (named.prototype instanceof HTTPError || named.prototype instanceof InputError)
  const Kind = isKind ? named : failure && failure.status ? HTTPError : MomoError
  return new Kind((failure && failure.message) || 'mobilemoney-native call failed', failure)
}

// Listed name by name (not spread) so that Node's ESM loader sees each as a named
// export when index.mjs re-exports this module.
module.exports = {
  MomoError,
  HTTPError,
  MomoServerError,
  Unauthorized,
  InvalidData,
  NotFound,
  Conflict,
  InvalidUniqueIDVersion,
  InvalidBasicToken,
  InvalidBearerToken,
  toError,
}
