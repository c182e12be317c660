'use strict'
// loader.js: when no binary loads, one sentence naming the platform looked for and the
// command that builds it from source. Each case copies the real loader and the generated
// binding.js into a fresh folder, as an install without the platform package leaves them.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const root = path.join(__dirname, '..')
const { platformId } = require('../loader.js')

const folders = []
afterAll(() => folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })))

function install(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilemoney-loader-'))
  folders.push(dir)
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), content === true ? fs.readFileSync(path.join(root, name)) : content)
  }
  return dir
}

function loadError(dir) {
  try {
    require(path.join(dir, 'loader.js')).loadBinding()
  } catch (error) {
    return error
  }
  throw new Error('the binding loaded')
}

test('the platform id is the one napi-rs names its packages with', () => {
  const expected = {
    linux: /^linux-(x64|arm64|arm|riscv64|s390x|ppc64|loong64)-(gnu|musl)$/,
    darwin: /^darwin-/,
    win32: /-msvc$/,
  }
  expect(platformId()).toMatch(expected[process.platform] || /^\w+-\w+$/)
})

test('no platform package: the platform and the build-from-source command, in one sentence', () => {
  const dir = install({ 'loader.js': true, 'binding.js': true })
  const error = loadError(dir)
  expect(error.code).toBe('ERR_MOBILEMONEY_NATIVE_BINDING')
  expect(error.platform).toBe(platformId())
  expect(error.message).toContain(`no prebuilt binary for ${platformId()} is installed`)
  expect(error.message).toContain(`mobilemoney-native-${platformId()}`)
  expect(error.message).toContain(
    `build it from source: npx --yes -p @napi-rs/cli@3 napi build --platform --release --no-js --dts binding.d.ts --cwd "${dir}"`,
  )
  expect(error.message.split('\n')).toHaveLength(1)
  expect(error.message.match(/\. /g)).toBeNull()
  expect(error.cause.message).toMatch(/^Cannot find native binding/)
})

test('a binary that cannot load: the loader says so, with the reason', () => {
  const dir = install({
    'loader.js': true,
    'binding.js': true,
    [`mobilemoney-native.${platformId()}.node`]: 'not a binary',
  })
  const error = loadError(dir)
  expect(error.message).toMatch(
    new RegExp(`its binary for ${platformId()} could not be loaded \\(.+\\); with Rust installed`),
  )
  expect(error.message.split('\n')).toHaveLength(1)
})

test('a clone that was never built: binding.js is missing, and the command that builds it', () => {
  const dir = install({ 'loader.js': true })
  expect(loadError(dir).message).toBe(
    'mobilemoney-native: binding.js is missing because this copy has not been built; run `npm install` or `npm run build` in it (Rust required).',
  )
})

test('any other error is passed through unchanged', () => {
  const dir = install({ 'loader.js': true, 'binding.js': "throw new TypeError('something else')" })
  const error = loadError(dir)
  expect(error).toBeInstanceOf(TypeError)
  expect(error.message).toBe('something else')
})
