/** A one-line message carried from one screen to the next (e.g. "Administrator created — sign in"). */
export interface Notice {
  tone: 'success' | 'info' | 'warning'
  text: string
}
