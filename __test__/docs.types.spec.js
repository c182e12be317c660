'use strict'
// The code of README.md and of the testing guide, type-checked as a TypeScript user's
// editor checks it: every js, mjs and ts block, `strict`, against the shipped
// declarations. Free names of the illustrative blocks (a `key`, Jest's `test`) are
// declared in the folder's globals.d.ts.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')
const TSC = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc')
// Each page from the heading given on: the README whole, the guide's section for tests.
const PAGES = [
  ['README.md', ''],
  ['docs/sandbox-and-testing.md', '## Testing your code'],
]
const EXTENSIONS = { js: '.js', mjs: '.mjs', ts: '.ts' }

// What the illustrative blocks leave to the reader.
const GLOBALS = `
declare const key: string
declare const apiUser: string
declare const apiKey: string
declare const paymobCredentials: { clientId: string; clientSecret: string; username: string; password: string }
declare function test(name: string, fn: () => Promise<void> | void): void
declare const expect: { (value: unknown): any; extend(matchers: object): void }
`

function blocks([page, from]) {
  const lines = fs.readFileSync(path.join(ROOT, page), 'utf8').split('\n')
  const out = []
  for (let i = Math.max(0, lines.indexOf(from)); i < lines.length; i++) {
    const open = /^```(\w+)/.exec(lines[i])
    if (!open) continue
    const start = i + 1
    const body = []
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i])
    if (EXTENSIONS[open[1]] && !body.join('\n').includes('jest.config')) {
      out.push({ page, line: start, ext: EXTENSIONS[open[1]], code: body.join('\n') })
    }
  }
  return out
}

test('the README and testing guide examples compile under strict', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilemoney-doc-types-'))
  try {
    const all = PAGES.flatMap(blocks)
    expect(all.length).toBeGreaterThanOrEqual(4)
    const files = all.map((b) => {
      const name = `${b.page.replace(/\W+/g, '_')}_${b.line}${b.ext}`
      // Each block is a module of its own (no clash between their top-level names).
      const code = b.ext === '.mjs' || /^\s*(import|export) /m.test(b.code) ? b.code : `${b.code}\nexport {}\n`
      fs.writeFileSync(path.join(dir, name), code)
      return name
    })
    fs.writeFileSync(path.join(dir, 'globals.d.ts'), GLOBALS)
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        allowJs: true,
        checkJs: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        types: ['node'],
        typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        skipLibCheck: true,
        paths: {
          'mobilemoney-native': [path.join(ROOT, 'index.d.ts')],
          'mobilemoney-native/testing': [path.join(ROOT, 'testing.d.ts')],
        },
      },
      files: ['globals.d.ts', ...files],
    }
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config))
    const run = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: dir,
      encoding: 'utf8',
    })
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('')
    expect(run.status).toBe(0)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('no shipped declaration points to a document the package does not ship', () => {
  for (const file of ['index.d.ts', 'binding.d.ts', 'testing.d.ts', 'types/header.d.ts']) {
    expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).not.toMatch(/CONTRACT|§/)
  }
})
