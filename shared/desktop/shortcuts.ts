// Shared (main and renderer): keyboard shortcuts as people read them.

/** Shows an accelerator as the user's keyboard says it ("Ctrl+Alt+Shift+L"; on a Mac "Cmd+Option+Shift+L"). */
export function describeShortcut(accelerator: string, platform: string): string {
  const mac = platform === 'darwin'
  return accelerator
    .split('+')
    .map((part) => {
      if (part === 'CommandOrControl') return mac ? 'Cmd' : 'Ctrl'
      if (part === 'Control') return 'Ctrl'
      if (part === 'Command') return 'Cmd'
      if (part === 'Alt') return mac ? 'Option' : 'Alt'
      if (part === 'Super') return mac ? 'Cmd' : 'Super'
      return part
    })
    .join('+')
}
