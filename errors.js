'use strict'
// The error classes of mobilemoney.js, with its inheritance, for code that imports them.
// This package never throws them: calls resolve [false, failure]. `toError(failure)`
// builds the matching instance for code that wants to throw.

class MomoError extends Error {
  constructor(message, failure) {
    super(message)
    this.name = this.constructor.name
    if (failure) this.failure = failure
  }
}
class HTTPError extends MomoError {}
class MomoServerError extends HTTPError {}
class Unauthorized extends HTTPError {}
class InvalidData extends HTTPError {}
class NotFound extends HTTPError {}
class Conflict extends HTTPError {}

class InputError extends Error {
  constructor(message, failure) {
    super(message)
    this.name = this.constructor.name
    if (failure) this.failure = failure
  }
}
class InvalidUniqueIDVersion extends InputError {}
class InvalidBasicToken extends InputError {}
class InvalidBearerToken extends InputError {}

const byKind = {
  MomoServerError,
  Unauthorized,
  InvalidData,
  NotFound,
  Conflict,
  InvalidUniqueIDVersion,
  InvalidBasicToken,
  InvalidBearerToken,
}

/** The error instance a mobilemoney.js call would have thrown for this failure. */
function toError(failure) {
  const Kind = byKind[failure && failure.error] || (failure && failure.status ? HTTPError : MomoError)
  return new Kind((failure && failure.message) || 'mobilemoney-native call failed', failure)
}

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
