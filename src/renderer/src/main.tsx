import { createRoot } from 'react-dom/client'

createRoot(document.getElementById('root')!).render(<p>QQ-Verse Security Console</p>)
