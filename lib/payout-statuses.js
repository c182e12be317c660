'use strict'
// An item's statuses as the core defines them (the binding's payoutStatuses()), so that
// the queue strategy and the CLI never keep lists of their own.
const { payoutStatuses } = require('../loader.js').loadBinding()

const { all, final } = payoutStatuses()
const FINAL = new Set(final)
// What a job still has to move on: neither final nor held (held waits on approve).
const OPEN = new Set(all.filter((s) => !FINAL.has(s) && s !== 'held'))

module.exports = { STATUSES: all, FINAL, OPEN }
