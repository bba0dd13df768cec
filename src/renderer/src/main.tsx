import './lib/zod-jitless'
import '@mantine/core/styles.css'
import '@mantine/notifications/styles.css'
import './app.css'
import { MantineProvider } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { dropStartTokenFromAddress } from './lib/start-token'
import { colorSchemeManager, theme } from './theme'

dropStartTokenFromAddress()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="dark" colorSchemeManager={colorSchemeManager}>
      {/* Bottom right: never over the top bar's lock and sign-out buttons. */}
      <Notifications position="bottom-right" limit={3} autoClose={5000} />
      <App />
    </MantineProvider>
  </StrictMode>,
)
