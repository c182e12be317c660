'use strict'
// The progress of `payouts run`: a bar (cli-progress) on a terminal, plain lines
// otherwise (one each time another tenth of the batch is final), or nothing. Fed with
// the run's `onProgress` events. An item becomes final once in a run: the counts of
// successful and failed items are the batch's at the start plus the finals seen since.

const cliProgress = require('cli-progress')

const { FINAL } = require('../lib/payout-statuses.js')

class Progress {
  /**
   * @param {'bar'|'lines'|'none'} mode
   * @param {{ total: number, byStatus: object }} summary the batch before this run
   * @param {NodeJS.WritableStream} stream where to draw (stderr)
   */
  constructor(mode, summary, stream = process.stderr) {
    this.mode = mode
    this.stream = stream
    this.total = summary.total
    const c = (s) => summary.byStatus[s] || 0
    this.successful = c('successful')
    this.failed = c('failed') + c('refused')
    this.done = this.successful + this.failed
    this.finals = new Set() // keys that became final in this run
    this.tenth = Math.floor((this.done * 10) / Math.max(this.total, 1))
    this.bar = null
    this.stopped = false
    if (mode === 'bar') {
      this.bar = new cliProgress.SingleBar(
        {
          stream,
          format:
            'payouts {bar} {percentage}% | {value}/{total} final | {successful} successful, {failed} failed | ETA {eta_formatted}',
          hideCursor: true,
          // Drawn also when stderr is not a terminal (for `--progress bar` in a pipe).
          noTTYOutput: !stream.isTTY,
          notTTYSchedule: 1000,
          etaBuffer: 200,
        },
        cliProgress.Presets.shades_classic,
      )
      this.bar.start(this.total, this.done, this.payload())
    } else if (mode === 'lines') {
      this.line(`starting: ${this.total} items, ${this.done} already final`)
    }
  }

  payload() {
    return { successful: this.successful, failed: this.failed }
  }

  line(text) {
    this.stream.write(`payouts: ${text}\n`)
  }

  /** One `onProgress` event: `{ key, status, … }`. */
  update(event) {
    if (this.stopped) return
    if (FINAL.has(event.status) && !this.finals.has(event.key)) {
      this.finals.add(event.key)
      if (event.status === 'successful') this.successful++
      else this.failed++
    }
    this.done = this.successful + this.failed
    if (this.bar) this.bar.update(this.done, this.payload())
    if (this.mode === 'lines') {
      const tenth = Math.floor((this.done * 10) / Math.max(this.total, 1))
      if (tenth > this.tenth) {
        this.tenth = tenth
        const p = this.payload()
        const percent = Math.floor((this.done * 100) / this.total)
        this.line(
          `${this.done}/${this.total} final (${percent}%): ${p.successful} successful, ${p.failed} failed or refused`,
        )
      }
    }
  }

  /** Stops drawing (before the summary is printed, or on Ctrl-C). */
  stop() {
    // Events still queued when the run is interrupted are not drawn after the message.
    this.stopped = true
    if (this.bar) {
      this.bar.stop()
      this.bar = null
    }
  }
}

/** The mode for `--progress auto`: the bar on a terminal, lines otherwise. */
function progressMode(option, stream = process.stderr) {
  if (option !== 'auto') return option
  return stream.isTTY ? 'bar' : 'lines'
}

module.exports = { Progress, progressMode }
