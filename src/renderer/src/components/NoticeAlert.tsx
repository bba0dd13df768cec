import { Alert } from '@mantine/core'
import { CircleCheck, Info, TriangleAlert } from 'lucide-react'
import type { Notice } from '../store/notice'

const LOOK = {
  success: { color: 'green', Icon: CircleCheck },
  info: { color: 'blue', Icon: Info },
  warning: { color: 'yellow', Icon: TriangleAlert },
} as const

export function NoticeAlert({ notice, onClose }: { notice: Notice; onClose: () => void }) {
  const { color, Icon } = LOOK[notice.tone]
  return (
    <Alert
      role="status"
      color={color}
      variant="light"
      icon={<Icon size={18} aria-hidden />}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onClose}
    >
      {notice.text}
    </Alert>
  )
}
