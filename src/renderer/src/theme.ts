import { createTheme, localStorageColorSchemeManager, Modal, Notification } from '@mantine/core'

const SYSTEM_FONTS =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"'
const MONO_FONTS =
  'ui-monospace, "SF Mono", "Cascadia Mono", "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace'

/** Dense and calm: system fonts (the CSP allows no remote fonts), small radii, one primary colour. */
export const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: SYSTEM_FONTS,
  fontFamilyMonospace: MONO_FONTS,
  headings: { fontFamily: SYSTEM_FONTS, fontWeight: '600' },
  defaultRadius: 'sm',
  focusRing: 'auto',
  cursorType: 'pointer',
  components: {
    // Every dialog's × gets a name a screen reader can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close the dialog' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } }),
  },
})

/** Only the theme choice is kept in localStorage; never anything about the session. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'qqsec-color-scheme' })
