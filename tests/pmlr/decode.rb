# What PMLR's publishing scripts make of LaTeX, for the tests: for each JSON string read from
# standard input, one JSON line [input, name or title as detex gives it, abstract as
# detex_abstract gives it, the id create_volume.rb makes of it as a family name in 2026].
# The decoding steps are those of mlresearch.rb (papersite/lib) at d28681e; the library is
# PMLR's latex-decode, loaded from RUBYLIB (see ../shared/pmlr-tools/run).
require 'json'
require 'latex/decode'
require 'active_support/all'

# The steps both of mlresearch.rb's decoders take first.
def decoded(string)
  s = string.dup
  s.force_encoding('utf-8')
  LaTeX::Decode::Base.normalize(s)
  LaTeX::Decode::Accents.decode!(s)
  LaTeX::Decode::Diacritics.decode!(s)
  LaTeX::Decode::Punctuation.decode!(s)
  s
end

def detex(string)
  s = decoded(string)
  LaTeX::Decode::Symbols.decode!(s)
  LaTeX::Decode::Greek.decode!(s)
  LaTeX::Decode::Base.strip_braces(s)
  LaTeX.normalize_C(s)
end

def detex_abstract(string)
  LaTeX.normalize_C(decoded(string))
end

STDIN.each_line do |line|
  latex = JSON.parse(line)
  name = detex(latex)
  puts JSON.generate([latex, name, detex_abstract(latex), (name.downcase + '26a').parameterize])
end
