// Tooling (Node): rewrites the role matrix of docs/MEMBERS.md from the tables the dispatcher enforces.
// Run: npm run docs:members
import { readFileSync, writeFileSync } from 'node:fs'
import { replaceRoleMatrix } from '../electron/core/api/membersDoc'

const file = new URL('../docs/MEMBERS.md', import.meta.url)
writeFileSync(file, replaceRoleMatrix(readFileSync(file, 'utf8')))
